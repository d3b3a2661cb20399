import Core

/// Uniform over the catalog, skipping tracks already played in the session while any remain.
public struct RandomRecommender: Recommender {
    public let name = "random"
    public let summary = "uniform over the whole catalog; the baseline every other strategy must beat"

    public init() {}

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let count = context.catalog.count
        precondition(count > 0, "a catalog is never empty once loaded")
        // Rejection sampling: sessions are short next to the catalog, so a few draws suffice.
        for _ in 0..<32 {
            let t = TrackID(rng.nextIndex(count))
            if !context.played(t) { return Recommendation(track: t, reason: "picked at random") }
        }
        let played = Set(context.session.map(\.track))
        if let t = context.catalog.trackIDs.first(where: { !played.contains($0) }) {
            return Recommendation(track: t, reason: "picked at random")
        }
        return Recommendation(track: TrackID(rng.nextIndex(count)), reason: "every track already played: repeating one")
    }
}
