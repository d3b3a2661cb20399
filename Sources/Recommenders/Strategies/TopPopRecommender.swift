import Core

/// Most popular first: a uniform draw among the `pool` most popular unplayed tracks (botify's
/// TopPop draws from its top list too, so sessions do not all hear one sequence). Popularity is
/// the catalog's, or logged listening when a model is trained.
public struct TopPopRecommender: Recommender {
    public let name = "top-pop"
    public static let about = "a popular track: catalog popularity, or logged listening once trained"
    public var summary: String { Self.about }
    public var readsFractions: Bool { false }
    let order: [TrackID]
    let source: String
    let pool: Int

    public init(index: CatalogIndex, pool: Int = 100) {
        order = index.popularityOrder
        source = "catalog popularity"
        self.pool = pool
    }

    init(order: [TrackID], source: String, pool: Int = 100) {
        self.order = order
        self.source = source
        self.pool = pool
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let top = min(pool, order.count)
        for _ in 0..<16 {
            let rank = rng.nextIndex(top)
            let t = order[rank]
            if !context.played(t) { return Recommendation(track: t, reason: "#\(rank + 1) by \(source)") }
        }
        // Most of the top list was heard: the first unplayed in popularity order.
        for (rank, t) in order.enumerated() where !context.played(t) {
            return Recommendation(track: t, reason: "#\(rank + 1) by \(source)")
        }
        return FreshRandomRecommender().next(context, using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        var out: [Recommendation] = []
        for (rank, t) in order.enumerated() where out.count < k && !context.played(t) {
            out.append(Recommendation(track: t, reason: context.explains ? "#\(rank + 1) by \(source)" : ""))
        }
        return out
    }
}
