import Core
import Foundation

/// One group of a report (an experiment arm, or a strategy outside experiments): the sessions
/// credited to it whole, the plays it recommended anywhere (mixed sessions included), and the
/// users' pre-period mean session lengths when CUPED can use them.
public struct ReportGroup: Sendable {
    public var name: String
    public var sessions: [SessionMetrics]
    public var recommended: [(user: Int64, plays: RecommendedPlays)]

    public init(name: String, sessions: [SessionMetrics], recommended: [(user: Int64, plays: RecommendedPlays)]? = nil) {
        self.name = name
        self.sessions = sessions
        self.recommended = recommended ?? sessions.map { s in
            (s.user, RecommendedPlays(plays: s.recommended.values.reduce(0) { $0 + $1.plays },
                                      heard: s.recommended.values.reduce(0) { $0 + $1.heard }))
        }
    }
}

/// Per-group figures. Every ratio is over users (the unit of randomisation): Σ over the
/// group's users of the numerator / Σ of the denominator, with a delta-method interval.
public struct GroupStats: Sendable, Equatable, Codable {
    public var name: String
    public var users: Int
    public var sessions: Int
    /// Mean session length: Σ length / Σ sessions.
    public var length: RatioEstimate
    /// Median session length (descriptive, over sessions).
    public var medianLength: Double
    public var playsPerSession: RatioEstimate
    /// Share of plays heard less than completely: Σ skips / Σ plays.
    public var skipRate: RatioEstimate
    /// Mean fraction heard of the plays this group's strategy chose: Σ heard / Σ recommended.
    public var heardPerRecommendation: RatioEstimate
    public var recommendations: Int
}

/// One treatment against the control, on mean session length.
public struct UpliftStats: Sendable, Equatable, Codable {
    public var treatment: String
    public var control: String
    public var length: RatioComparison
    /// Holm–Bonferroni adjusted over the report's comparisons; `significant` uses it.
    public var adjustedPValue: Double
    public var significant: Bool
    /// CUPED's θ of the treatment arm and the share of the difference's variance it removed
    /// (nil when no pre-period was used).
    public var cupedTheta: Double?
    public var varianceReduction: Double?
}

/// What CUPED achieved on a report.
public struct VarianceReduction: Sendable, Equatable, Codable {
    public var usersWithPrePeriod: Int
    public var users: Int
    /// 1 − Σ adjusted / Σ raw variance of the uplifts' differences.
    public var reduction: Double
}

/// The statistics report shared by `botify ab`, `botify stats` and the Stats screen.
public struct StatsReport: Sendable, Equatable, Codable {
    public enum Design: String, Sendable, Codable {
        /// Users were assigned to arms at random: differences are effects.
        case randomised
        /// Listeners chose (or the player switched) strategies: differences may come from who chose what.
        case observational
    }

    public var title: String
    public var design: Design
    /// The unit of analysis: always the unit of randomisation, the user.
    public var unit: String
    public var method: String
    public var calibration: String
    public var alpha: Double
    public var groups: [GroupStats]
    public var control: String?
    public var uplifts: [UpliftStats]
    /// Users per arm against the equal split of the assignment (randomised reports only).
    public var sampleRatio: SampleRatioCheck?
    /// Sessions left out of session-length figures because more than one strategy chose their plays.
    public var mixedSessions: Int
    public var varianceReduction: VarianceReduction?

    public static let method = "ratio of sums over users with delta-method variance (Deng et al. 2018); "
        + "Welch t with Satterthwaite df from users; Holm-adjusted p across comparisons"
    /// Measured by Tests/ExperimentsTests/CalibrationTests.swift (seeded A/A runs, 200 users each).
    public static let calibration = "seeded A/A runs, 200 users, 400 each at 1 and 20 sessions per user: "
        + "4.0% and 5.25% significant at 5% (counting sessions as units instead: 48.25% at 20)"

    /// `prePeriod` maps users to their mean session length before the experiment (CUPED's
    /// covariate); randomised reports use it in each comparison whose users have enough of it.
    public init(title: String, design: Design, groups: [ReportGroup], control: String? = nil, alpha: Double = 0.05,
                mixedSessions: Int = 0, prePeriod: [Int64: Double] = [:]) {
        self.title = title
        self.design = design
        self.unit = "user"
        self.method = Self.method
        self.calibration = Self.calibration
        self.alpha = alpha
        self.mixedSessions = mixedSessions
        let perUser = groups.map(UserTotals.init)
        self.groups = zip(groups, perUser).map(Self.stats)
        sampleRatio = design == .randomised && groups.count >= 2 ? SampleRatioCheck(observed: self.groups.map(\.users)) : nil

        varianceReduction = nil
        guard let control, let base = self.groups.firstIndex(where: { $0.name == control }) else {
            self.control = nil
            uplifts = []
            return
        }
        self.control = control
        let compared = self.groups.indices.filter { $0 != base }
        let lengths = self.groups.map(\.length)
        var comparisons: [RatioComparison] = [], cuped: [(theta: Double, reduction: Double)?] = []
        var rawVariance = 0.0, adjustedVariance = 0.0
        for t in compared {
            let raw = RatioComparison(treatment: lengths[t], control: lengths[base], confidence: 1 - alpha)
            if design == .randomised, let (treatment, control, theta) = Self.cuped(perUser[t], perUser[base], prePeriod: prePeriod) {
                let adjusted = RatioComparison(treatment: treatment, control: control, confidence: 1 - alpha)
                let before = lengths[t].variance + lengths[base].variance, after = treatment.variance + control.variance
                comparisons.append(adjusted)
                cuped.append((theta, 1 - after / before))
                rawVariance += before
                adjustedVariance += after
            } else {
                comparisons.append(raw)
                cuped.append(nil)
            }
        }
        let adjusted = Holm.adjust(comparisons.map(\.pValue))
        let names = self.groups.map(\.name)
        uplifts = compared.indices.map { k in
            UpliftStats(treatment: names[compared[k]], control: control, length: comparisons[k],
                        adjustedPValue: adjusted[k], significant: adjusted[k] < alpha,
                        cupedTheta: cuped[k]?.theta, varianceReduction: cuped[k]?.reduction)
        }
        if cuped.contains(where: { $0 != nil }), rawVariance > 0 {
            let users = perUser.reduce(0) { $0 + $1.users.count }
            let known = perUser.reduce(0) { $0 + $1.users.filter { prePeriod[$0] != nil }.count }
            varianceReduction = VarianceReduction(usersWithPrePeriod: known, users: users,
                                                  reduction: 1 - adjustedVariance / rawVariance)
        }
    }

    /// Per-user sums of one group, in first-seen user order.
    struct UserTotals {
        var users: [Int64] = []
        var sessions: [Double] = [], length: [Double] = [], plays: [Double] = [], skips: [Double] = []
        var recommendationUsers: [Int64] = []
        var recommended: [Double] = [], heard: [Double] = []
        var sessionLengths: [Double] = []

        init(_ group: ReportGroup) {
            var index: [Int64: Int] = [:]
            for s in group.sessions {
                let i: Int
                if let known = index[s.user] { i = known } else {
                    i = users.count
                    index[s.user] = i
                    users.append(s.user)
                    sessions.append(0); length.append(0); plays.append(0); skips.append(0)
                }
                sessions[i] += 1
                length[i] += s.length
                plays[i] += Double(s.plays)
                skips[i] += Double(s.skips)
                sessionLengths.append(s.length)
            }
            var recommendationIndex: [Int64: Int] = [:]
            for (user, r) in group.recommended where r.plays > 0 {
                let i: Int
                if let known = recommendationIndex[user] { i = known } else {
                    i = recommendationUsers.count
                    recommendationIndex[user] = i
                    recommendationUsers.append(user)
                    recommended.append(0); heard.append(0)
                }
                recommended[i] += Double(r.plays)
                heard[i] += r.heard
            }
        }
    }

    static func stats(_ group: ReportGroup, _ t: UserTotals) -> GroupStats {
        GroupStats(name: group.name, users: t.users.count, sessions: group.sessions.count,
                   length: RatioEstimate(numerators: t.length, denominators: t.sessions),
                   medianLength: median(t.sessionLengths),
                   playsPerSession: RatioEstimate(numerators: t.plays, denominators: t.sessions),
                   skipRate: RatioEstimate(numerators: t.skips, denominators: t.plays),
                   heardPerRecommendation: RatioEstimate(numerators: t.heard, denominators: t.recommended),
                   recommendations: Int(t.recommended.reduce(0, +)))
    }

    /// CUPED on mean session length for one comparison (θ per arm, both arms shifted towards
    /// their common pre-period mean), when at least a tenth of their users have a pre-period
    /// (the others get the mean covariate, so they are not adjusted). Per comparison, so that
    /// other arms of the report change nothing in it.
    static func cuped(_ treatment: UserTotals, _ control: UserTotals, prePeriod: [Int64: Double])
        -> (treatment: RatioEstimate, control: RatioEstimate, theta: Double)?
    {
        let groups = [treatment, control]
        let users = groups.reduce(0) { $0 + $1.users.count }
        let known = groups.reduce(0) { $0 + $1.users.filter { prePeriod[$0] != nil }.count }
        guard users > 0, known * 10 >= users, known > 2 else { return nil }
        let fill = groups.flatMap { $0.users.compactMap { prePeriod[$0] } }.reduce(0, +) / Double(known)
        let arms = groups.map { g in
            CUPED.Arm(numerators: g.length, denominators: g.sessions, covariates: g.users.map { prePeriod[$0] ?? fill })
        }
        guard let adjustments = CUPED.adjustments(for: arms) else { return nil }
        let adjusted = zip(arms, adjustments).map {
            RatioEstimate(numerators: $0.numerators, denominators: $0.denominators, adjustment: $1)
        }
        guard adjusted.allSatisfy({ $0.variance.isFinite }) else { return nil }
        return (adjusted[0], adjusted[1], adjustments[0].theta)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    public func json() throws -> String { try Self.json(self) }

    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
