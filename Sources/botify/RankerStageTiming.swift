import Core
import Dispatch
import Foundation
import Ranking
import Recommenders

/// `eval --ranker-stages N`: the stored ranker's `next()` timed stage by stage over the
/// newest N logged contexts (a session prefix and the listener's earlier plays, as the
/// simulator hands them), on one thread.
enum RankerStageTiming {
    struct Report {
        var calls: Int
        var trained: Bool
        /// Per stage and the total, microseconds at p50 and p99.
        var rows: [(stage: String, p50: Double, p99: Double, mean: Double)]
    }

    static func measure(_ ranker: RankerRecommender, sessions: [ListeningSession], catalog: Catalog, calls: Int, seed: UInt64) -> Report {
        let ordered = sessions.sorted { $0.sessionID < $1.sessionID }
        // The newest sessions that hold `calls` contexts; older ones only build history.
        var first = ordered.count, held = 0
        while first > 0, held < calls {
            first -= 1
            held += max(0, ordered[first].tracks.count - 1)
        }
        var contexts: [RecommendationContext] = []
        var history: [Int64: [(track: TrackID, fraction: Float)]] = [:]
        for (i, s) in ordered.enumerated() {
            let plays = zip(s.tracks, s.fractions).map { ($0, $1) }
            if i >= first {
                for p in 1..<max(1, plays.count) where contexts.count < calls {
                    contexts.append(RecommendationContext(user: s.user, session: Array(plays[..<p]), history: history[s.user] ?? [], catalog: catalog))
                }
            }
            var context = RecommendationContext(user: s.user, session: [], history: history[s.user] ?? [], catalog: catalog)
            context.remember(plays)
            history[s.user] = context.history
        }
        let stages = StageClock.stageNames.count
        // Per stage, then the whole pick, then the pick without the why-line (what a headless
        // caller, which asks for no reasons, pays).
        var samples: [[UInt64]] = Array(repeating: [], count: stages + 2)
        for (i, context) in contexts.enumerated() {
            var rng = SeededGenerator(seed: seed, stream: UInt64(i))
            var clock: StageClock? = StageClock()
            _ = ranker.serve(context, using: &rng, clock: &clock)
            var total: UInt64 = 0
            for (s, ns) in clock!.values.enumerated() {
                samples[s].append(ns)
                total += ns
            }
            samples[stages].append(total)
            samples[stages + 1].append(total - clock!.explanation)
        }
        let names = StageClock.stageNames + ["next() total", "no why-line"]
        let rows = zip(names, samples).map { name, values -> (String, Double, Double, Double) in
            let sorted = values.sorted()
            func at(_ q: Double) -> Double { sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000 }
            let mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1000
            return (name, at(0.5), at(0.99), mean)
        }
        return Report(calls: contexts.count, trained: ranker.booster != nil, rows: rows)
    }

    static func table(_ r: Report) -> String {
        var out = "ranker next() by stage over \(r.calls) logged contexts (\(r.trained ? "trained model" : "untrained: vote order")), µs:\n"
        out += "stage" + String(repeating: " ", count: 9) + "     p50      p99     mean\n"
        for row in r.rows {
            out += row.stage.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: "%8.1f %8.1f %8.1f\n", row.p50, row.p99, row.mean)
        }
        return out
    }
}
