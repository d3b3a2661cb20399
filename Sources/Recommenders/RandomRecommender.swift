import Core

/// `random`, the course's `Random` (`botify/recommenders/random.py`): the service answers
/// `redis.randomkey()` over the track keys, a uniform draw over the whole catalog that knows
/// nothing of the session, so a track already heard may come again (the course's listener
/// hears a repeat for 0). One draw per pick.
public struct RandomRecommender: Recommender {
    public let name = "random"
    public static let about = "uniform over the whole catalog, repeats allowed (the course's Random)"
    public var summary: String { Self.about }
    public var readsFractions: Bool { false }

    public init() {}

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let count = context.catalog.count
        precondition(count > 0, "a catalog is never empty once loaded")
        let t = TrackID(rng.nextIndex(count))
        return Recommendation(track: t, reason: context.played(t) ? "picked at random (already played this session)" : "picked at random")
    }

    /// The ranked candidates are unplayed tracks only (`random-fresh`'s), which `next` picks
    /// all but always on a catalog much larger than a session.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        FreshRandomRecommender().candidates(context, k: k, using: &rng)
    }
}

/// `random-fresh`, botify's improved random: uniform over the catalog, skipping tracks already
/// played in the session while any remain (rejection, 32 draws, then the first unplayed track).
public struct FreshRandomRecommender: Recommender {
    public static let strategyName = "random-fresh"
    public let name = FreshRandomRecommender.strategyName
    public static let about = "uniform over the tracks not yet played this session"
    public var summary: String { Self.about }
    public var readsFractions: Bool { false }

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
