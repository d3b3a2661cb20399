import Core
import Dispatch

/// Nanoseconds spent in each stage of one pick of a recommender built in stages (the ranker of
/// Sources/Ranking, the lectures' two-stage recommender): candidate generation, feature
/// building, scoring (the model's prediction and the sort), the rules (cap, exploration), and
/// the why-line, the last only for a pick the model made and a caller that shows reasons.
public struct StageClock: Sendable, Equatable {
    public var candidates: UInt64 = 0
    public var features: UInt64 = 0
    public var scoring: UInt64 = 0
    public var rules: UInt64 = 0
    public var explanation: UInt64 = 0
    private var last: UInt64 = 0

    public init() {}

    /// A clock that already holds these stage times (tests, and a pick as the player keeps it).
    public init(candidates: UInt64, features: UInt64, scoring: UInt64, rules: UInt64, explanation: UInt64) {
        self.candidates = candidates
        self.features = features
        self.scoring = scoring
        self.rules = rules
        self.explanation = explanation
    }

    public static let stageNames = ["candidates", "features", "scoring", "rules", "explanation"]

    /// Nanoseconds per stage, in `stageNames` order.
    public var values: [UInt64] { [candidates, features, scoring, rules, explanation] }

    /// The whole pick: every stage summed.
    public var total: UInt64 { values.reduce(0, +) }

    public mutating func start() { last = DispatchTime.now().uptimeNanoseconds }

    /// Charges the time since the last lap (or `start`) to `stage`.
    public mutating func lap(_ stage: WritableKeyPath<StageClock, UInt64>) {
        let now = DispatchTime.now().uptimeNanoseconds
        self[keyPath: stage] += now &- last
        last = now
    }

    public static func == (a: StageClock, b: StageClock) -> Bool { a.values == b.values }
}

/// A recommender whose `next` can time its stages (the ranker): the player's Strategies screen
/// and `eval --ranker-stages` show where a pick's time goes.
public protocol StagedRecommender: Recommender {
    /// `next`, timing its stages into `clock`; the same pick as `next`.
    func next(_ context: RecommendationContext, using rng: inout SeededGenerator, clock: inout StageClock) -> Recommendation
}
