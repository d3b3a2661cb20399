import Core

/// Reports from stored sessions (`botify stats`, the Stats screen, and `ab` reading back), from
/// plain values: the callers read them (Storage's `sessionSummaries`, `recommendedPlays`,
/// `prePeriod(of:sessions:)`) and Experiments never sees the database.
extension StatsReport {
    /// An experiment's report: one group per arm, in the experiment's arm order; users were
    /// randomised, so the comparison is causal. `recommended` holds play-level attribution of
    /// player sessions (`BotifyDatabase.recommendedPlays`); `prePeriod` (user → mean session length
    /// before the experiment, `BotifyDatabase.prePeriod(of:sessions:)`) turns on CUPED.
    public init(experiment: ExperimentRecord, sessions: [SessionSummary],
                recommended: [Int64: [String: (plays: Int, heard: Double)]] = [:],
                prePeriod: [Int64: Double] = [:], control: String? = nil) {
        var byArm: [String: [SessionMetrics]] = [:]
        for s in sessions { byArm[s.arm ?? "(no arm)", default: []].append(SessionMetrics(stored: s, recommended[s.id])) }
        let names = experiment.arms + byArm.keys.filter { !experiment.arms.contains($0) }.sorted()
        let size = experiment.traffic == "course"
            ? "\(experiment.users * experiment.sessionsPerUser) sessions, users drawn with replacement (course traffic)"
            : "\(experiment.users) users × \(experiment.sessionsPerUser) sessions"
        self.init(title: "experiment \(experiment.name) (seed \(experiment.seed), \(size))",
                  design: .randomised, groups: names.map { ReportGroup(name: $0, sessions: byArm[$0] ?? []) },
                  control: control ?? experiment.control, mixedSessions: sessions.filter { recommended[$0.id]?.count ?? 0 > 1 }.count,
                  prePeriod: prePeriod)
    }

    /// Sessions outside experiments, one group per strategy (or strategy and source): nobody was
    /// randomised, so any uplift is observational. A session whose plays more than one strategy
    /// chose (a live switch) is left out of session lengths and counted in `mixedSessions`; each
    /// of its recommended plays still counts in its strategy's heard-per-recommendation.
    public init(observational sessions: [SessionSummary], title: String,
                recommended: [Int64: [String: (plays: Int, heard: Double)]] = [:],
                control: String? = nil, splitBySource: Bool = false) {
        func key(_ strategy: String, _ source: ListenerSource) -> String {
            splitBySource ? "\(strategy) (\(source.rawValue))" : strategy
        }
        var whole: [String: [SessionMetrics]] = [:]
        var plays: [String: [(user: Int64, plays: RecommendedPlays)]] = [:]
        var mixed = 0
        for s in sessions {
            let metrics = SessionMetrics(stored: s, recommended[s.id])
            if let strategy = metrics.strategy(started: s.strategy) {
                whole[key(strategy, s.source), default: []].append(metrics)
            } else {
                mixed += 1
            }
            for (strategy, share) in metrics.recommended {
                plays[key(strategy, s.source), default: []].append((s.user, share))
            }
        }
        let names = Set(whole.keys).union(plays.keys).sorted()
        self.init(title: title, design: .observational,
                  groups: names.map { ReportGroup(name: $0, sessions: whole[$0] ?? [], recommended: plays[$0] ?? []) },
                  control: control, mixedSessions: mixed)
    }
}

extension SessionMetrics {
    /// A stored session; without play-level attribution it is read as a headless session.
    public init(stored s: SessionSummary, _ recommended: [String: (plays: Int, heard: Double)]?) {
        if let recommended {
            self.init(user: s.user, length: s.length, plays: s.plays, skips: s.skips,
                      recommended: recommended.mapValues { RecommendedPlays(plays: $0.plays, heard: $0.heard) })
        } else if s.source == .sim {
            self = .simulated(user: s.user, length: s.length, plays: s.plays, skips: s.skips, strategy: s.strategy)
        } else {
            self.init(user: s.user, length: s.length, plays: s.plays, skips: s.skips)
        }
    }
}
