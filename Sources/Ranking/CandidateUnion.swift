import Core
import Recommenders

/// Stage one: every generator's top `k` unplayed candidates, merged. A track keeps the rank
/// each generator gave it (nil where that generator did not propose it), in the order tracks
/// were first proposed (generator order, then rank), so the union is the same whatever the
/// threads.
public struct CandidateUnion: Sendable {
    public struct Entry: Sendable, Equatable {
        public var track: TrackID
        /// One per generator, 0-based; nil = not proposed by it.
        public var ranks: [Int?]
    }

    public let generators: [any Recommender]
    public let k: Int

    public init(generators: [any Recommender], k: Int) {
        self.generators = generators
        self.k = k
    }

    public var names: [String] { generators.map(\.name) }

    /// Each generator draws from its own stream split off `rng`, so adding a generator does
    /// not change what the others propose.
    public func build(_ context: RecommendationContext, using rng: inout SeededGenerator) -> [Entry] {
        var position: [TrackID: Int] = [:]
        var entries: [Entry] = []
        for (g, generator) in generators.enumerated() {
            var stream = SeededGenerator(seed: rng.next())
            var rank = 0
            for r in generator.candidates(context, k: k, using: &stream) where rank < k {
                // Some generators' lists may pad with played tracks (the course mirrors' random
                // fallback): the union never holds one.
                guard !context.played(r.track) else { continue }
                if let i = position[r.track] {
                    if entries[i].ranks[g] == nil { entries[i].ranks[g] = rank }
                } else {
                    position[r.track] = entries.count
                    var ranks = [Int?](repeating: nil, count: generators.count)
                    ranks[g] = rank
                    entries.append(Entry(track: r.track, ranks: ranks))
                }
                rank += 1
            }
        }
        return entries
    }
}
