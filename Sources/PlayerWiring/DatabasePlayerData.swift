import Core
import Experiments
import Foundation
import Storage
import TUI

/// The Stats and History screens' reads from the database. Statistics come from the
/// experiments module's `StatsReport` (user-level ratio metrics, delta-method intervals, Welch
/// tests with Holm's adjustment), the same numbers `botify stats` and `botify ab` print.
public struct DatabasePlayerData: PlayerDataSource {
    private let database: BotifyDatabase
    public static let histogramBucket = 0.5
    public static let histogramBuckets = 12

    public init(database: BotifyDatabase) { self.database = database }

    public func history(limit: Int) throws -> [HistorySession] {
        try database.sessions(limit: limit).map { s in
            HistorySession(id: s.id, user: s.user, strategy: s.strategy, source: s.source, startedAt: s.startedAt,
                           plays: try database.plays(session: s.id), reasons: try database.playReasons(sessions: [s.id])[s.id] ?? [:])
        }
    }

    public func historyPage(before: Int64?, limit: Int) throws -> HistoryPage {
        let summaries = try database.sessions(before: before, limit: limit)
        let plays = try database.plays(sessions: summaries.map(\.id))  // one query per page, not one per session
        let reasons = try database.playReasons(sessions: summaries.map(\.id))
        let sessions = summaries.map { s in
            HistorySession(id: s.id, user: s.user, strategy: s.strategy, source: s.source, startedAt: s.startedAt,
                           plays: plays[s.id] ?? [], reasons: reasons[s.id] ?? [:])
        }
        return HistoryPage(sessions: sessions, total: try database.sessionCount(SessionFilter(includeOpen: true)))
    }

    public func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)] {
        try database.recentHistory(user: user, limit: limit)
    }

    public func longTerm(selected: Int64?) throws -> LongTermSnapshot {
        let runs = try database.longTermRuns.all()
        // A run deleted since the list was read (`ab --replace`) gives way to the newest.
        let id = selected.flatMap { id in runs.contains { $0.id == id } ? id : nil } ?? runs.first?.id
        return LongTermSnapshot(runs: runs, selected: try id.flatMap { try database.longTermRuns.load(id: $0) })
    }

    public func stats(source: ListenerSource?, baseline: String?) throws -> StatsSnapshot {
        let filter = SessionFilter(source: source)
        let sessions = try database.sessionSummaries(filter)
        let recommended = try database.recommendedPlays(filter)
        var rows: [StrategyStats] = []
        var mixed = 0
        var bySource: [ListenerSource: [SessionSummary]] = [:]
        var byExperiment: [String: [SessionSummary]] = [:]
        for s in sessions {
            if let e = s.experiment { byExperiment[e, default: []].append(s) } else { bySource[s.source, default: []].append(s) }
        }
        for (source, own) in bySource.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let control = baseline.flatMap { name in own.contains { $0.strategy == name } ? name : nil }
            let report = StatsReport(observational: own, title: source.rawValue, recommended: recommended, control: control)
            mixed += report.mixedSessions
            let histograms = Self.histograms(own, recommended)
            rows += report.groups.filter { $0.sessions > 0 || $0.recommendations > 0 }.map { g in
                let u = report.uplifts.first { $0.treatment == g.name }
                return StrategyStats(strategy: g.name, source: source, users: g.users, sessions: g.sessions,
                                     meanLength: g.length.value, ciLow: g.length.ciLow, ciHigh: g.length.ciHigh,
                                     skipRate: g.skipRate.value, heardPerRecommendation: g.heardPerRecommendation.value,
                                     histogram: histograms[g.name] ?? Array(repeating: 0, count: Self.histogramBuckets),
                                     vsBaseline: u.map { Uplift(relative: $0.length.relative, low: $0.length.relativeLow,
                                                                high: $0.length.relativeHigh, adjustedPValue: $0.adjustedPValue) })
            }
        }
        // Best first; rows without a mean (only mixed sessions) last.
        rows.sort { ($0.meanLength.isNaN ? -1 : $0.meanLength, $1.strategy) > ($1.meanLength.isNaN ? -1 : $1.meanLength, $0.strategy) }
        return StatsSnapshot(strategies: rows, abResults: try abResults(byExperiment, recommended), histogramBucket: Self.histogramBucket,
                             mixedSessions: mixed, baseline: baseline)
    }

    /// Session lengths per strategy of single-strategy sessions (the ones its mean counts).
    static func histograms(_ sessions: [SessionSummary], _ recommended: [Int64: [String: (plays: Int, heard: Double)]])
        -> [String: [Int]]
    {
        var result: [String: [Int]] = [:]
        for s in sessions {
            guard let strategy = SessionMetrics(stored: s, recommended[s.id]).strategy(started: s.strategy) else { continue }
            let bucket = min(histogramBuckets - 1, max(0, Int(s.length / histogramBucket)))
            result[strategy, default: Array(repeating: 0, count: histogramBuckets)][bucket] += 1
        }
        return result
    }

    /// Every stored experiment's comparisons, recomputed from its sessions (the same figures as
    /// `botify stats --experiment`), newest first.
    private func abResults(_ sessions: [String: [SessionSummary]],
                           _ recommended: [Int64: [String: (plays: Int, heard: Double)]]) throws -> [ABResult] {
        try database.experiments.all().sorted { $0.createdAt > $1.createdAt }.flatMap { e -> [ABResult] in
            guard let own = sessions[e.name] else { return [] }
            let report = StatsReport(experiment: e, sessions: own, recommended: recommended,
                                     prePeriod: try database.prePeriod(of: e, sessions: own))
            let mismatch = report.sampleRatio?.mismatch ?? false
            return report.uplifts.map { u in
                ABResult(experiment: e.name, treatment: u.treatment, control: u.control,
                         uplift: Uplift(relative: u.length.relative, low: u.length.relativeLow, high: u.length.relativeHigh,
                                        adjustedPValue: u.adjustedPValue),
                         sampleRatioMismatch: mismatch)
            }
        }
    }
}
