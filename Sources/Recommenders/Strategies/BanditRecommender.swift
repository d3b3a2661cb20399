import Core
import Foundation

/// A meta-strategy: Thompson sampling, per listener, over candidate sources (the other
/// strategies). Each source's reward is the listened fraction of the tracks it chose, learned
/// online from the plays the context reports back. State is per user and each user's sessions
/// run in order, so results do not depend on how users are spread over threads.
public final class BanditRecommender: Recommender, @unchecked Sendable {
    public static let strategyName = "bandit"
    public let name = BanditRecommender.strategyName
    public static let about = "learns per listener which source works (Thompson sampling on listened fraction)"
    public var summary: String { Self.about }
    public let arms: [any Recommender]

    struct UserState {
        var successes: [Double]
        var failures: [Double]
        /// The arm and track of the last recommendation, until its play is seen.
        var pending: (arm: Int, track: TrackID)?
    }

    /// Striped locks, so listeners on different threads rarely wait for each other.
    private let stripes: [NSLock]
    private var states: [[Int64: UserState]]

    public init(arms: [any Recommender]) {
        precondition(!arms.isEmpty, "a bandit needs at least one arm")
        self.arms = arms
        stripes = (0..<16).map { _ in NSLock() }
        states = Array(repeating: [:], count: 16)
    }

    private func stripe(_ user: Int64) -> Int { Int(UInt64(bitPattern: user) % 16) }

    /// Credits the pending arm with the play the context now reports, and returns the state.
    private func observe(_ context: RecommendationContext, stripe s: Int) -> UserState {
        var state = states[s][context.user] ?? UserState(successes: Array(repeating: 0, count: arms.count),
                                                        failures: Array(repeating: 0, count: arms.count))
        if let pending = state.pending, let last = context.session.last, last.track == pending.track, context.session.count > 1 {
            let f = Double(min(max(last.fraction, 0), 1))
            state.successes[pending.arm] += f
            state.failures[pending.arm] += 1 - f
        }
        state.pending = nil
        return state
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let s = stripe(context.user)
        stripes[s].lock()
        var state = observe(context, stripe: s)
        var bestArm = 0, bestDraw = -1.0
        for a in arms.indices {
            let draw = Beta.sample(1 + state.successes[a], 1 + state.failures[a], using: &rng)
            if draw > bestDraw { bestDraw = draw; bestArm = a }
        }
        var r = arms[bestArm].next(context, using: &rng)
        state.pending = (bestArm, r.track)
        states[s][context.user] = state
        stripes[s].unlock()
        r.reason = "bandit chose \(arms[bestArm].name) (draw \(formatScore(Float(bestDraw)))): \(r.reason)"
        return r
    }

    /// The ranked candidates come from the arm with the best posterior mean; the state is left untouched.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        let s = stripe(context.user)
        stripes[s].lock()
        let state = states[s][context.user]
        stripes[s].unlock()
        var bestArm = 0, bestMean = -1.0
        for a in arms.indices {
            let mean = state.map { (1 + $0.successes[a]) / (2 + $0.successes[a] + $0.failures[a]) } ?? 0.5
            if mean > bestMean { bestMean = mean; bestArm = a }
        }
        return arms[bestArm].candidates(context, k: k, using: &rng).map {
            Recommendation(track: $0.track, reason: "bandit favours \(arms[bestArm].name): \($0.reason)")
        }
    }
}

/// Beta and Gamma draws from a seeded generator (Marsaglia & Tsang for Gamma).
enum Beta {
    static func sample(_ a: Double, _ b: Double, using rng: inout SeededGenerator) -> Double {
        let x = gamma(a, using: &rng), y = gamma(b, using: &rng)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    static func gamma(_ shape: Double, using rng: inout SeededGenerator) -> Double {
        if shape < 1 {
            let u = max(rng.nextUnit(), 1e-300)
            return gamma(shape + 1, using: &rng) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x = 0.0, v = 0.0
            repeat {
                x = rng.nextGaussian()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.nextUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
