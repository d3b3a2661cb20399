/// How many users an experiment needs: from a pilot's sessions, the between-user and
/// within-user variance of session length (one-way random-effects ANOVA), then the users per arm
/// at which a two-sided test at α finds a relative effect `mde` with the given power when each
/// user has `sessionsPerUser` sessions. Extra sessions only shrink the within-user part, which is
/// why adding sessions per user helps far less than adding users when users differ a lot.
public struct PowerPlan: Sendable, Equatable, Codable {
    public var pilotUsers: Int
    public var pilotSessions: Int
    public var mean: Double
    public var betweenUserVariance: Double
    public var withinUserVariance: Double
    /// Intra-class correlation: the share of session-length variance that is between users.
    public var intraClassCorrelation: Double

    public init(pilot sessions: [SessionMetrics]) {
        var byUser: [Int64: [Double]] = [:]
        for s in sessions { byUser[s.user, default: []].append(s.length) }
        pilotUsers = byUser.count
        pilotSessions = sessions.count
        mean = sessions.isEmpty ? .nan : sessions.reduce(0) { $0 + $1.length } / Double(sessions.count)
        // Pooled within-user variance, and the variance of user means corrected for the
        // within-user noise each mean still carries (sessions per user may differ).
        var within = 0.0, withinDF = 0.0
        var userMeans: [Double] = [], inverseCounts = 0.0
        for lengths in byUser.values {
            let m = lengths.reduce(0, +) / Double(lengths.count)
            userMeans.append(m)
            within += lengths.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            withinDF += Double(lengths.count - 1)
            inverseCounts += 1 / Double(lengths.count)
        }
        withinUserVariance = withinDF > 0 ? within / withinDF : 0
        if userMeans.count > 1 {
            let grand = userMeans.reduce(0, +) / Double(userMeans.count)
            let spread = userMeans.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / Double(userMeans.count - 1)
            betweenUserVariance = max(0, spread - withinUserVariance * inverseCounts / Double(userMeans.count))
        } else {
            betweenUserVariance = .nan
        }
        let total = betweenUserVariance + withinUserVariance
        intraClassCorrelation = total > 0 ? betweenUserVariance / total : .nan
    }

    /// Users per arm to detect a relative change `mde` (0.05 = 5%) of mean session length.
    public func usersPerArm(mde: Double, sessionsPerUser: Int, alpha: Double = 0.05, power: Double = 0.8) -> Int? {
        let perUser = betweenUserVariance + withinUserVariance / Double(sessionsPerUser)
        let effect = mde * mean
        guard perUser.isFinite, effect.isFinite, effect != 0 else { return nil }
        // Normal quantiles (t with very many degrees of freedom): plans are for large samples.
        let z = StudentT.quantile(1 - alpha / 2, df: 1e9) + StudentT.quantile(power, df: 1e9)
        let n = 2 * z * z * perUser / (effect * effect)
        return max(2, Int(n.rounded(.up)))
    }
}
