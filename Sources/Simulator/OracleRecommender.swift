import Core
import Foundation
import Recommenders

/// `oracle`: knows the hidden taste space and the listener's parameters, and picks the
/// unplayed track this listener would hear the most of right now (artist discount included).
/// Only meaningful for simulated users; an upper bound for calibration, never a real strategy.
public struct OracleRecommender: ListenerAwareRecommender {
    public static let strategyName = "oracle"
    public static let label = "upper bound (knows hidden tastes)"
    public let name = OracleRecommender.strategyName
    public let summary = OracleRecommender.label
    public let world: World
    private let orders: ScoreOrderCache

    public init(world: World) {
        self.world = world
        orders = ScoreOrderCache(catalogCount: world.catalog.count)
    }

    public func next(_ context: RecommendationContext, listener: SimulatedListener,
                     using rng: inout SeededGenerator) -> Recommendation {
        if let track = best(for: listener) { return Recommendation(track: track, reason: Self.label) }
        return FreshRandomRecommender().next(context, using: &rng)
    }

    /// Without the listener (the visible player), the oracle rebuilds it from the context:
    /// the user's row, and the interest whose start tracks contain the session's first track.
    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let listener = reconstruct(context) else {
            var fallback = FreshRandomRecommender().next(context, using: &rng)
            fallback.reason = "not a simulated user: oracle fell back to random"
            return fallback
        }
        return next(context, listener: listener, using: &rng)
    }

    /// Best unplayed track by exact expected fraction. Walks the interest's score order (see
    /// `ScoreOrder`) and stops at the first track whose undiscounted fraction is below the best
    /// found: the artist discount (gamma ≤ 1) only lowers a fraction, so no later track can win.
    /// Ties go as they always have: to the first best of the interest's precomputed nearest
    /// tracks, else to the lowest track id.
    func best(for listener: SimulatedListener) -> TrackID? {
        var nearTrack: TrackID = -1
        var nearValue = -1.0
        for t in world.nearest(toSlot: listener.interestSlot) where t >= 0 {
            let f = listener.fraction(of: t)
            if f > nearValue { nearValue = f; nearTrack = t }
        }
        let u = listener.user
        let bias = world.users.consumeBias[u], sharpness = world.users.consumeSharpness[u]
        let gamma = world.users.artistDiscountGamma[u]
        let order = orders.order(for: listener.interest, world: world)
        var bestTrack: TrackID = -1
        var bestValue = -1.0
        for i in order.tracks.indices {
            let bound = CourseListenerModel.fraction(score: order.scores[i], bias: bias, sharpness: sharpness, gamma: gamma,
                                                     artistPlays: 0, precision: world.space.precision)
            if bound < bestValue { break }
            let t = order.tracks[i]
            let f = listener.fraction(of: t)
            if f > bestValue || (f == bestValue && t < bestTrack) {
                bestValue = f
                bestTrack = t
            }
        }
        if bestValue > nearValue { return bestTrack }
        return nearTrack >= 0 && !listener.hasPlayed(nearTrack) ? nearTrack : nil
    }

    private func reconstruct(_ context: RecommendationContext) -> SimulatedListener? {
        guard let first = context.session.first?.track,
              let row = world.users.ids.firstIndex(of: context.user) else { return nil }
        var listener = SimulatedListener(world: world, user: row)
        let slots = Int(world.users.interestOffsets[row])..<Int(world.users.interestOffsets[row + 1])
        let starts = Int(world.users.interestNeighbours[row])
        let slot = slots.first { world.nearest(toSlot: $0).prefix(starts).contains(first) }
            ?? slots.lowerBound
        listener.resume(interestSlot: slot, played: context.session.map(\.track))
        return listener
    }
}
