import Core
import Recommenders
import Terminal
import Testing
@testable import TUI

/// A staged strategy for tests: the in-order pick, with stage times that grow with the session
/// (candidates 100 µs + 10 µs a play, scoring 30 µs + 1 µs a play), so the screen's quantiles
/// are known in advance.
struct StagedOrderRecommender: StagedRecommender {
    let name = "staged-order"
    let summary = "in order, timed by stage (test strategy)"
    var readsFractions: Bool { false }

    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        InOrderRecommender().next(context, using: &rng)
    }

    func next(_ context: RecommendationContext, using rng: inout SeededGenerator, clock: inout StageClock) -> Recommendation {
        let n = UInt64(context.session.count)
        clock = StageClock(candidates: 100_000 + 10_000 * n, features: 20_000, scoring: 30_000 + 1_000 * n, rules: 2_000,
                           explanation: 50_000)
        return next(context, using: &rng)
    }
}

final class StagedStrategies: StrategyProvider {
    var strategies: [StrategyInfo] {
        [StrategyInfo(name: "staged-order", summary: StagedOrderRecommender().summary, trainable: false),
         StrategyInfo(name: "in-order", summary: InOrderRecommender().summary, trainable: false)]
    }

    func recommender(named name: String) -> (any Recommender)? {
        switch name {
        case "staged-order": StagedOrderRecommender()
        case "in-order": InOrderRecommender()
        default: nil
        }
    }

    func modelStatus(_ name: String) -> String { "no model needed" }
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String { "" }
}

@Suite struct StageTimingsTests {
    /// Three skips in a row: the first pick, then up next and a pick after each skip.
    static func state(width: Int, height: Int) -> AppState {
        var state = makeState(width: width, height: height, strategies: StagedStrategies())
        apply(&state, .command(.select), .tick(now: state.now + 2))
        for _ in 0..<3 { apply(&state, .command(.skip), .tick(now: state.now + 2)) }
        state.message = nil
        return state
    }

    @Test("every pick of a staged strategy keeps its stage times; others keep none")
    func recorded() {
        let state = Self.state(width: 80, height: 24)
        let picks = state.stageTimings["staged-order"]?.picks ?? []
        #expect(!picks.isEmpty)
        #expect(picks.allSatisfy { $0.features == 20_000 && $0.rules == 2_000 })
        #expect(state.stageTimings["in-order"] == nil)
        var other = AppState(catalog: fixtureCatalog(), strategies: StagedStrategies(), user: 7, source: .human,
                             size: TerminalSize(width: 80, height: 24), seed: 42, now: 1_700_000_000, strategy: "in-order")
        other.loaded["in-order"] = InOrderRecommender()
        apply(&other, .command(.select), .tick(now: other.now + 2), .command(.skip), .tick(now: other.now + 2))
        #expect(other.session?.plays.isEmpty == false && other.stageTimings.isEmpty)
    }

    @Test("at most the latest 200 picks are kept")
    func bounded() {
        var t = StageTimings()
        for i in 0..<450 { t.add(StageClock(candidates: UInt64(i), features: 0, scoring: 0, rules: 0, explanation: 0)) }
        #expect(t.picks.count == StageTimings.kept && t.picks.first?.candidates == 250 && t.picks.last?.candidates == 449)
        let q = t.quantiles()
        #expect(q.count == StageClock.stageNames.count + 1)
        #expect(q[0].p50 == 0.35 && q[0].p99 == 0.448 && q[5].p50 == 0.35, "\(q)")
    }

    @Test("the Strategies screen shows the staged strategy's p50 and p99 per stage", arguments: [(80, 24), (40, 12)])
    func screen(_ w: Int, _ h: Int) {
        var state = Self.state(width: w, height: h)
        apply(&state, .command(.screen(.strategies)))
        assertSnapshot(AppView.render(state), named: "strategies-stages-\(w)x\(h)")
    }

    @Test("the panel follows the cursor to a strategy without stage times: it then shows the one in charge")
    func followsCursor() {
        var state = Self.state(width: 80, height: 24)
        apply(&state, .command(.screen(.strategies)), .command(.down(1)))
        #expect(StrategiesView.stagesShown(state, AppView.body(state))?.0 == "staged-order")
        state.stageTimings = [:]
        #expect(StrategiesView.stagesShown(state, AppView.body(state)) == nil)
    }
}
