import Core
import Foundation
import Storage

/// The Stats and History screens' reads from the database.
public struct DatabasePlayerData: PlayerDataSource {
    private let database: BotifyDatabase

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
        var byStrategy: [String: [SessionSummary]] = [:]
        for s in sessions { byStrategy[s.strategy, default: []].append(s) }
        let bucket = 0.5
        let rows = byStrategy.keys.sorted().map { name -> StrategyStats in
            let group = byStrategy[name]!
            let lengths = group.map(\.length)
            let summary = MeanInterval(lengths)
            var histogram = [Int](repeating: 0, count: 10)
            for l in lengths { histogram[min(histogram.count - 1, max(0, Int(l / bucket)))] += 1 }
            let plays = group.reduce(0) { $0 + $1.plays }, skips = group.reduce(0) { $0 + $1.skips }
            return StrategyStats(strategy: name, sessions: group.count, meanLength: summary.mean, ciLow: summary.low,
                                 ciHigh: summary.high, skipRate: plays > 0 ? Double(skips) / Double(plays) : 0, histogram: histogram)
        }
        return StatsSnapshot(strategies: rows.sorted { $0.meanLength > $1.meanLength }, abResults: [], histogramBucket: bucket)
    }
}

/// Mean and normal-approximation 95% interval (1.96 standard errors).
struct MeanInterval {
    var mean: Double
    var low: Double
    var high: Double

    init(_ values: [Double]) {
        let n = Double(values.count)
        mean = n > 0 ? values.reduce(0, +) / n : 0
        let m = mean
        let variance = n > 1 ? values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
        let half = 1.96 * (variance / max(n, 1)).squareRoot()
        low = mean - half
        high = mean + half
    }
}
