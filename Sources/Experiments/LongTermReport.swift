import Core
import Foundation
import Simulator

/// One arm on one day of a multi-day run.
public struct DayArmFigures: Sendable, Equatable, Codable {
    public var day: Int
    public var arm: String
    /// Users who came that day, and their sessions.
    public var activeUsers: Int
    public var sessions: Int
    /// Mean session length over that day's users (ratio of sums, delta-method CI).
    public var meanLength: RatioEstimate
    /// Share of the arm's assigned users who came that day (every user comes on day 1).
    public var retention: Double
    /// Σ session length from day 1 to this day / the arm's assigned users.
    public var listeningPerAssignedUser: Double
    /// Share of the catalog recommended at least once that day, and heard at least half.
    public var coverageRecommended: Double
    public var coverageHeard: Double
    /// Share of the day's recommended plays that went to the most recommended 1% of the catalog.
    public var topOnePercentShare: Double
    /// Gini coefficient of recommended plays over the catalog (0 even, 1 all on one track).
    public var gini: Double
    /// Mean self-information of the recommended plays, −log2 of the track's share of catalog popularity.
    public var novelty: Double
    /// Mean over the day's users of the distinct genres among the recommendations they heard at least half.
    public var genresPerUser: Double
}

/// One arm over the whole horizon.
public struct LongTermArm: Sendable, Equatable, Codable {
    public var arm: String
    public var assignedUsers: Int
    /// Total listening (Σ session length over the horizon) per assigned user, users who stopped
    /// coming included with what they had listened: a mean over users with a t interval.
    public var listening: RatioEstimate
    /// Share of assigned users still coming on the last day.
    public var retainedLastDay: Double
    /// Users who churned (will never come back) by the end.
    public var churned: Int
}

public struct LongTermComparison: Sendable, Equatable, Codable {
    public var treatment: String
    public var control: String
    public var listening: RatioComparison
    public var adjustedPValue: Double
    public var significant: Bool
}

/// A multi-day run's report: the per-day table, catalog health, and the long-term metric per
/// arm with user-level intervals. Users are assigned to arms once for the whole run, so the user
/// is the unit throughout.
public struct LongTermReport: Sendable, Equatable, Codable {
    public var title: String
    public var days: Int
    /// How users came back: "every day" or the return model's parameters.
    public var returning: String
    public var unit = "user"
    public var method = "long-term metric: total listening per assigned user over the horizon (mean over users, "
        + "Welch t with Satterthwaite df, Holm-adjusted p across comparisons); daily mean length as a ratio of sums "
        + "over that day's users with delta-method variance; α = 0.05"
    public var daily: [DayArmFigures]
    public var arms: [LongTermArm]
    public var control: String?
    public var comparisons: [LongTermComparison]

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Every day's row, for notebooks (`pd.read_csv`).
    public func csv() -> String {
        var lines = ["day,arm,active_users,sessions,mean_length,ci_low,ci_high,retention,listening_per_assigned_user,"
                     + "coverage_recommended,coverage_heard,top1pct_share,gini,novelty,genres_per_user"]
        for d in daily {
            let numbers = [d.meanLength.value, d.meanLength.ciLow, d.meanLength.ciHigh, d.retention, d.listeningPerAssignedUser,
                           d.coverageRecommended, d.coverageHeard, d.topOnePercentShare, d.gini, d.novelty, d.genresPerUser]
            var arm: [UInt8] = []
            CSVQuoting.append(d.arm, to: &arm)
            lines.append(([String(d.day), String(decoding: arm, as: UTF8.self), String(d.activeUsers), String(d.sessions)]
                          + numbers.map { $0.isFinite ? String(format: "%.6g", $0) : "" }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Collects a multi-day run day by day and builds its `LongTermReport`.
public struct LongTermAccumulator: Sendable {
    public let arms: [String]
    public let control: Int?
    /// Arm of each user row of the run.
    public let armOfUser: [Int]
    let selfInformation: [Double]
    var totals: [Double]
    var daily: [DayArmFigures] = []
    var lastDayActive: [Int] = []

    /// `armOfUser[u]` is user row u's arm; novelty weighs tracks by `catalog.popularity`.
    public init(arms: [String], control: Int?, armOfUser: [Int], catalog: Catalog) {
        self.arms = arms
        self.control = control
        self.armOfUser = armOfUser
        totals = Array(repeating: 0, count: armOfUser.count)
        let weights = catalog.popularity.map { Double(max($0, 0)) + 1 }
        let sum = weights.reduce(0, +)
        selfInformation = weights.map { -log2($0 / sum) }
    }

    var assigned: [Int] {
        var counts = Array(repeating: 0, count: arms.count)
        for a in armOfUser { counts[a] += 1 }
        return counts
    }

    /// Adds one day: its sessions (user ids are rows here: `rowOfUser` maps them) and exposure per arm.
    public mutating func add(day: Int, sessions: [SimulatedSession], exposure: [ArmExposure], rowOfUser: (Int64) -> Int) {
        let assigned = self.assigned
        var lengths = Array(repeating: [Int: (length: Double, sessions: Double)](), count: arms.count)
        var sessionCounts = Array(repeating: 0, count: arms.count)
        for s in sessions {
            let row = rowOfUser(s.user)
            totals[row] += s.length
            let arm = Int(s.arm)
            sessionCounts[arm] += 1
            lengths[arm][row, default: (0, 0)].length += s.length
            lengths[arm][row, default: (0, 0)].sessions += 1
        }
        var cumulative = Array(repeating: 0.0, count: arms.count)
        for (row, total) in totals.enumerated() { cumulative[armOfUser[row]] += total }
        lastDayActive = lengths.map(\.count)
        for arm in arms.indices {
            let users = lengths[arm].sorted { $0.key < $1.key }.map(\.value)
            let e = arm < exposure.count ? exposure[arm] : nil
            daily.append(DayArmFigures(
                day: day, arm: arms[arm], activeUsers: users.count, sessions: sessionCounts[arm],
                meanLength: RatioEstimate(numerators: users.map(\.length), denominators: users.map(\.sessions)),
                retention: assigned[arm] > 0 ? Double(users.count) / Double(assigned[arm]) : .nan,
                listeningPerAssignedUser: assigned[arm] > 0 ? cumulative[arm] / Double(assigned[arm]) : .nan,
                coverageRecommended: e.map { Self.share(of: $0.recommended) } ?? .nan,
                coverageHeard: e.map { Self.share(of: $0.heard) } ?? .nan,
                topOnePercentShare: e.map { Self.topShare($0.recommended, fraction: 0.01) } ?? .nan,
                gini: e.map { Self.gini($0.recommended) } ?? .nan,
                novelty: e.map(novelty) ?? .nan,
                genresPerUser: e.map { $0.users > 0 ? Double($0.genresHeard) / Double($0.users) : .nan } ?? .nan))
        }
    }

    /// The report after the last day; `churned[a]` counts arm a's users who will not come back.
    public func report(title: String, days: Int, returning: String, churned: [Int]) -> LongTermReport {
        let assigned = self.assigned
        var perArm = Array(repeating: [Double](), count: arms.count)
        for (row, total) in totals.enumerated() { perArm[armOfUser[row]].append(total) }
        let estimates = perArm.map { RatioEstimate(numerators: $0, denominators: Array(repeating: 1, count: $0.count)) }
        let longTerm = arms.indices.map { a in
            LongTermArm(arm: arms[a], assignedUsers: assigned[a], listening: estimates[a],
                        retainedLastDay: assigned[a] > 0 && a < lastDayActive.count ? Double(lastDayActive[a]) / Double(assigned[a]) : .nan,
                        churned: a < churned.count ? churned[a] : 0)
        }
        var comparisons: [LongTermComparison] = []
        if let control {
            let raw = arms.indices.filter { $0 != control }.map {
                (arms[$0], RatioComparison(treatment: estimates[$0], control: estimates[control]))
            }
            let adjusted = Holm.adjust(raw.map(\.1.pValue))
            comparisons = zip(raw, adjusted).map { pair, p in
                LongTermComparison(treatment: pair.0, control: arms[control], listening: pair.1, adjustedPValue: p,
                                   significant: p < 0.05)
            }
        }
        return LongTermReport(title: title, days: days, returning: returning, daily: daily, arms: longTerm,
                              control: control.map { arms[$0] }, comparisons: comparisons)
    }

    func novelty(_ e: ArmExposure) -> Double {
        var sum = 0.0, count = 0.0
        for (t, n) in e.recommended.enumerated() where n > 0 {
            sum += Double(n) * selfInformation[t]
            count += Double(n)
        }
        return count > 0 ? sum / count : .nan
    }

    static func share(of counts: [Int32]) -> Double {
        counts.isEmpty ? .nan : Double(counts.lazy.filter { $0 > 0 }.count) / Double(counts.count)
    }

    /// Share of all counts held by the largest ⌈fraction · n⌉ of them.
    static func topShare(_ counts: [Int32], fraction: Double) -> Double {
        let total = counts.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return .nan }
        let k = max(1, Int((Double(counts.count) * fraction).rounded(.up)))
        let top = counts.sorted(by: >).prefix(k).reduce(0) { $0 + Int($1) }
        return Double(top) / Double(total)
    }

    /// Gini over all tracks (zeros included): Σ (2i − n − 1) x₍ᵢ₎ / (n Σ x), x ascending, i from 1.
    static func gini(_ counts: [Int32]) -> Double {
        let total = counts.reduce(0) { $0 + Double($1) }
        guard total > 0 else { return .nan }
        let n = Double(counts.count)
        var weighted = 0.0
        for (i, x) in counts.sorted().enumerated() { weighted += (2 * Double(i + 1) - n - 1) * Double(x) }
        return weighted / (n * total)
    }
}
