import Core
import Recommenders
import Synchronization
import Terminal
import Testing
@testable import TUI

/// The test strategies, counting how often anything asks the provider to build one.
final class CountingStrategies: StrategyProvider {
    let inner = TestStrategies()
    let builds = Mutex(0)
    var strategies: [StrategyInfo] { inner.strategies }
    func recommender(named name: String) -> (any Recommender)? {
        builds.withLock { $0 += 1 }
        return inner.recommender(named: name)
    }
    func modelStatus(_ name: String) -> String { inner.modelStatus(name) }
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String { try inner.retrain(name, progress: progress) }
}

/// Plays the first unplayed track, saying which model it was built with.
struct TaggedRecommender: Recommender {
    let name = "trained-order"
    let summary = "in order, tagged with its model (test strategy)"
    let tag: String
    var readsFractions: Bool { false }
    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        Recommendation(track: context.catalog.trackIDs.first { !context.played($0) } ?? 0, reason: tag)
    }
}

/// Issue #14 item 5: `update` returns effects as values and the runner answers them; it never
/// builds a strategy (nor reads a clock), and an older load never replaces a newer one.
@Suite struct EffectTests {
    @Test func aSkipAsksForThePickAsAnEffectAndTheTimedAnswerPlaysIt() throws {
        var state = makeState()
        apply(&state, .command(.select))
        let first = try #require(state.currentTrack)
        let effects = update(&state, .command(.skip))
        #expect(recordedPlays(effects).map(\.outcome) == [.skipped])
        #expect(state.session?.current == nil, "nothing plays until the runner answers")
        let requests = effects.compactMap { if case .recommend(let r) = $0 { r } else { nil } }
        let request = try #require(requests.first)
        #expect(requests.count == 1 && request.purpose == .play && request.forStrategy == "in-order" && request.count == 1)
        let answer = request.perform(stopwatch: FixedStopwatch(micros: 7))
        let after = update(&state, answer)
        let next = state.catalog.trackIDs.first { $0 != first }  // in-order: the first unplayed track
        #expect(state.currentTrack == next)
        #expect(state.session?.current?.latencyMicros == 7 && state.session?.current?.recommendedBy == "in-order")
        #expect(after.contains { if case .recommend(let r) = $0 { r.purpose == .upNext && r.count == 5 } else { false } })
        #expect(after.contains(.trackStarted(next!)))
        // The same answer again is stale: the track that started asked for "up next" under a new ticket.
        let playing = state.session?.current
        _ = update(&state, answer)
        #expect(state.session?.current == playing && state.session?.plays.count == 1)
    }

    @Test func updateNeverBuildsAStrategyItAsksTheRunnerTo() {
        let provider = CountingStrategies()
        var state = makeState(strategies: provider)
        #expect(provider.builds.withLock { $0 } == 1)  // makeState: the runner's first load
        let effects = apply(&state, .command(.select), .tick(now: state.now + 5), .command(.skip),
                            .command(.strategy("trained-order")), .command(.skip), .retrainFinished("in-order", status: "trained"),
                            .command(.strategy("random")), .tick(now: state.now + 60), .command(.quit))
        #expect(provider.builds.withLock { $0 } == 1)
        #expect(effects.contains(.prepareStrategy("trained-order", generation: 0)))
        #expect(effects.contains(.prepareStrategy("random", generation: 0)))
    }

    @Test(arguments: [false, true])
    func aLoadAskedBeforeARetrainNeverReplacesTheRetrainedModel(oldArrivesLast: Bool) throws {
        var state = makeState()
        #expect(apply(&state, .command(.strategy("trained-order"))) == [.prepareStrategy("trained-order", generation: 0)])
        // The retrain finishes while that first build is still under way: it is asked again.
        #expect(apply(&state, .retrainFinished("trained-order", status: "trained")) == [.prepareStrategy("trained-order", generation: 1)])
        let old = Action.strategyReady("trained-order", TaggedRecommender(tag: "old model"), generation: 0)
        let new = Action.strategyReady("trained-order", TaggedRecommender(tag: "retrained model"), generation: 1)
        if oldArrivesLast { apply(&state, new, old) } else { apply(&state, old, new) }
        #expect(state.preparing.isEmpty)
        apply(&state, .command(.select))
        #expect(state.session?.candidates.map(\.reason) == Array(repeating: "retrained model", count: 5))
        apply(&state, .command(.skip))
        #expect(state.session?.current?.reason == "retrained model")
    }

    @Test func theStrategyInUseKeepsPlayingWhileItsRebuildIsUnderWay() {
        var state = makeState()
        apply(&state, .command(.select))
        let preview = state.session!.candidates
        let effects = apply(&state, .retrainFinished("in-order", status: "trained"))
        #expect(effects == [.prepareStrategy("in-order", generation: 1)])
        #expect(state.session!.candidates == preview && state.loaded["in-order"] != nil)
        apply(&state, .command(.skip))
        #expect(state.session?.current?.recommendedBy == "in-order")
    }
}
