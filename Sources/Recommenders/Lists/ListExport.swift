import Core
import Dispatch

/// botify's own models written as the course's recommendation files (`botify recs export`).
public enum ListExport {
    /// Strategies whose item neighbours can be written as an i2i file.
    public static let i2iStrategies = [I2IRecommender.strategyName, FreshI2IRecommender.strategyName,
                                       MarkovRecommender.strategyName, ALSRecommender.strategyName]

    /// Per track, its first `k` item neighbours, best first, for every track that has any:
    /// `i2i`'s (and `i2i-fresh`'s, the same table) co-listening neighbours or `markov`'s
    /// learned transitions as trained, `als`'s by inner product of item factors (exact, the
    /// track itself left out). `models` holds the newest model by model name.
    public static func i2i(strategy: String, models: [String: TrainedModel], catalog: Catalog, k: Int,
                           threads: Int = 1) throws -> [(key: Int64, tracks: [TrackID])] {
        let modelName = strategy == FreshI2IRecommender.strategyName ? I2IRecommender.strategyName : strategy
        guard i2iStrategies.contains(strategy) else {
            throw InputError(field: "--strategy", value: strategy,
                             "has no item neighbours to export as i2i lists; one of: \(i2iStrategies.joined(separator: ", ")), or an imported i2i list")
        }
        guard let model = models[modelName] else {
            throw InputError(field: "--strategy", value: strategy, "not trained for this catalog yet (run 'botify train \(modelName)')")
        }
        if modelName == ALSRecommender.strategyName {
            try model.check(strategy: modelName, catalog: catalog)
            let als = try ALSModel(bytes: model.payload, items: catalog.count, what: "model '\(modelName)'")
            return alsNeighbours(als, count: catalog.count, k: k, threads: threads)
        }
        guard let table = try NeighbourTable.of(model, strategy: modelName, catalog: catalog) else { return [] }
        var out: [(key: Int64, tracks: [TrackID])] = []
        for t in 0..<table.trackCount {
            let range = table.neighbours(of: TrackID(t))
            if !range.isEmpty { out.append((Int64(t), Array(table.ids[range].prefix(k)))) }
        }
        return out
    }

    /// Exact top-k by ⟨y_a, y_b⟩ for every a; ties to the lower track id. Each track's list is
    /// computed alone, so the result does not depend on `threads`.
    static func alsNeighbours(_ model: ALSModel, count n: Int, k: Int, threads: Int) -> [(key: Int64, tracks: [TrackID])] {
        let f = model.factors
        let keep = min(k, n - 1)
        guard keep > 0 else { return [] }
        var lists = [[TrackID]](repeating: [], count: n)
        let chunks = max(1, min(threads, n))
        model.itemFactors.withUnsafeBufferPointer { y in
            lists.withUnsafeMutableBufferPointer { out in
                // Each iteration reads the factors and writes only its own slots.
                nonisolated(unsafe) let base = y.baseAddress!
                nonisolated(unsafe) let slots = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var best: [(score: Float, id: Int)] = []
                    best.reserveCapacity(keep + 1)
                    for a in stride(from: c, to: n, by: chunks) {
                        best.removeAll(keepingCapacity: true)
                        for b in 0..<n where b != a {
                            let s = VectorMath.dot(base + a * f, base + b * f, f)
                            // b ascends, so an equal score never displaces an earlier (lower) id.
                            if best.count == keep, s <= best[keep - 1].score { continue }
                            var i = best.count
                            while i > 0 && best[i - 1].score < s { i -= 1 }
                            best.insert((s, b), at: i)
                            if best.count > keep { best.removeLast() }
                        }
                        slots[a] = best.map { TrackID($0.id) }
                    }
                }
            }
        }
        return lists.enumerated().map { (Int64($0.offset), $0.element) }
    }

    /// Per user of `sessions` (ascending id), `recommender`'s top `k` as it would answer at the
    /// end of the user's last logged session: that session's plays are the session, the user's
    /// earlier plays (the newest 200) the history. Each user has its own generator
    /// (`seed`, user), so the result does not depend on order or threads.
    public static func perUser(_ recommender: any Recommender, sessions: [ListeningSession], catalog: Catalog,
                               k: Int, seed: UInt64) -> [(key: Int64, tracks: [TrackID])] {
        var byUser: [Int64: [ListeningSession]] = [:]
        for s in sessions.sorted(by: { $0.sessionID < $1.sessionID }) { byUser[s.user, default: []].append(s) }
        var out: [(key: Int64, tracks: [TrackID])] = []
        for user in byUser.keys.sorted() {
            let all = byUser[user]!
            guard let last = all.last, !last.tracks.isEmpty else { continue }
            var history: [(track: TrackID, fraction: Float)] = []
            for s in all.dropLast() { for (t, f) in zip(s.tracks, s.fractions) { history.append((t, f)) } }
            let context = RecommendationContext(user: user, session: Array(zip(last.tracks, last.fractions)).map { ($0.0, $0.1) },
                                                history: Array(history.suffix(200)), catalog: catalog)
            var rng = SeededGenerator(seed: seed, stream: UInt64(bitPattern: user))
            let picks = recommender.candidates(context, k: k, using: &rng).map(\.track)
            if !picks.isEmpty { out.append((user, picks)) }
        }
        return out
    }
}
