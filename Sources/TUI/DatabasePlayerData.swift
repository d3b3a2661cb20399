import Core
import Experiments
import Foundation
import Storage

/// The Stats and History screens' reads from the database. Statistics come from the
/// experiments module's `StatsReport` (Student-t intervals, Welch tests), the same numbers
/// `botify stats` and `botify ab` print.
public struct DatabasePlayerData: PlayerDataSource {
    private let database: BotifyDatabase
    public static let histogramBucket = 0.5
    public static let histogramBuckets = 12

    public init(database: BotifyDatabase) { self.database = database }

    public func history(limit: Int) throws -> [HistorySession] {
        try database.sessions(limit: limit).map { s in
            HistorySession(id: s.id, user: s.user, strategy: s.strategy, source: s.source, startedAt: s.startedAt,
                           plays: try database.plays(session: s.id))
        }
    }

    public func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)] {
        try database.recentHistory(user: user, limit: limit)
    }

    public func stats(source: ListenerSource?) throws -> StatsSnapshot {
        let sessions = try database.sessionSummaries(SessionFilter(source: source))
        let report = StatsReport(stored: sessions, title: "by strategy", by: .strategy)
        var lengths: [String: [Double]] = [:]
        for s in sessions { lengths[s.strategy, default: []].append(s.length) }
        let rows = report.groups.map { g in
            var histogram = [Int](repeating: 0, count: Self.histogramBuckets)
            for l in lengths[g.name] ?? [] { histogram[min(histogram.count - 1, max(0, Int(l / Self.histogramBucket)))] += 1 }
            return StrategyStats(strategy: g.name, sessions: g.sessions, meanLength: g.length.mean,
                                 ciLow: g.length.ciLow.isFinite ? g.length.ciLow : g.length.mean,
                                 ciHigh: g.length.ciHigh.isFinite ? g.length.ciHigh : g.length.mean,
                                 skipRate: g.skipRate.isFinite ? g.skipRate : 0, histogram: histogram)
        }
        return StatsSnapshot(strategies: rows.sorted { $0.meanLength > $1.meanLength }, abResults: try abResults(),
                             histogramBucket: Self.histogramBucket)
    }

    /// Uplifts of every finished experiment stored by `botify ab`, newest first.
    private func abResults() throws -> [ABResult] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try database.experiments.all().sorted { $0.createdAt > $1.createdAt }.flatMap { e -> [ABResult] in
            guard let json = e.result, let report = try? decoder.decode(StatsReport.self, from: Data(json.utf8)) else { return [] }
            return report.uplifts.map { u in
                ABResult(experiment: e.name, treatment: u.treatment, control: u.control, relativeUplift: u.welch.relative,
                         upliftLow: u.welch.relativeLow, upliftHigh: u.welch.relativeHigh, pValue: u.welch.pValue)
            }
        }
    }
}
