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

    public init(world: World) {
        self.world = world
    }

    public func next(_ context: RecommendationContext, listener: SimulatedListener,
                     using rng: inout SeededGenerator) -> Recommendation {
        if let track = best(for: listener) { return Recommendation(track: track, reason: Self.label) }
        return RandomRecommender().next(context, using: &rng)
    }

    /// Without the listener (the visible player), the oracle rebuilds it from the context:
    /// the user's row, and the interest whose start tracks contain the session's first track.
    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let listener = reconstruct(context) else {
            var fallback = RandomRecommender().next(context, using: &rng)
            fallback.reason = "not a simulated user: oracle fell back to random"
            return fallback
        }
        return next(context, listener: listener, using: &rng)
    }

    /// Best unplayed track by exact expected fraction. The interest's precomputed nearest tracks
    /// are tried first; they are provably enough when the best of them (discounted) is at least
    /// the undiscounted fraction of the last one, since no other track scores higher than it.
    func best(for listener: SimulatedListener) -> TrackID? {
        var bestTrack: TrackID = -1
        var bestValue = -1.0
        var last: TrackID = -1
        for t in world.nearest(toSlot: listener.interestSlot) where t >= 0 {
            let f = listener.fraction(of: t)
            if f > bestValue { bestValue = f; bestTrack = t }
            last = t
        }
        if bestTrack >= 0, last >= 0, world.candidateCount < world.catalog.count {
            let u = listener.user
            let bound = CourseListenerModel.fraction(score: world.space.dot(last, listener.interest),
                                                     bias: world.users.consumeBias[u], sharpness: world.users.consumeSharpness[u],
                                                     gamma: world.users.artistDiscountGamma[u], artistPlays: 0)
            if bestValue >= bound && bestValue > 0 { return bestTrack }
        } else if bestTrack >= 0, bestValue > 0 {
            return bestTrack
        }
        // Full scan: the undiscounted fraction bounds the real one, so the costlier checks
        // (repeats, artist plays) run only for tracks that could still win.
        let u = listener.user
        let bias = world.users.consumeBias[u], sharpness = world.users.consumeSharpness[u]
        let gamma = world.users.artistDiscountGamma[u]
        // A score below `floor` cannot round above bestValue (sigmoid is increasing), so most
        // tracks cost one dot product.
        func floor(_ best: Double) -> Double {
            let target = best - 0.005
            if target <= 0 { return -.infinity }
            if target >= 1 { return .infinity }
            return bias + log(target / (1 - target)) / sharpness
        }
        var scoreFloor = floor(bestValue)
        for t in world.catalog.trackIDs {
            let score = world.space.dot(t, listener.interest)
            guard Double(score) > scoreFloor else { continue }
            let bound = CourseListenerModel.fraction(score: score, bias: bias, sharpness: sharpness, gamma: gamma, artistPlays: 0)
            guard bound > bestValue, !listener.played.contains(t) else { continue }
            let f = listener.fraction(of: t)
            if f > bestValue {
                bestValue = f
                bestTrack = t
                scoreFloor = floor(bestValue)
            }
        }
        return bestTrack >= 0 && !listener.played.contains(bestTrack) ? bestTrack : nil
    }

    private func reconstruct(_ context: RecommendationContext) -> SimulatedListener? {
        guard let first = context.session.first?.track,
              let row = world.users.ids.firstIndex(of: context.user) else { return nil }
        var listener = SimulatedListener(world: world, user: row)
        let slots = Int(world.users.interestOffsets[row])..<Int(world.users.interestOffsets[row + 1])
        let slot = slots.first { world.nearest(toSlot: $0).prefix(world.config.interestNeighbours).contains(first) }
            ?? slots.lowerBound
        listener.resume(interestSlot: slot, played: context.session.map(\.track))
        return listener
    }
}
