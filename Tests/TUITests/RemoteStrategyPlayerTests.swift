import Core
import Recommenders
import Synchronization
import Terminal
import Testing
@testable import TUI

/// A stand-in for a remote strategy (`answersAhead` false, as `RemoteRecommender`): it answers
/// the next unplayed track by catalog order and writes down every question and every
/// `sessionEnded`, the way a service would log `/next` and `/last`.
final class LoggingServiceRecommender: Recommender, @unchecked Sendable {
    let name = "http://127.0.0.1:5001"
    let summary = "a remote recommender at http://127.0.0.1:5001 (the course's /next and /last protocol)"
    var answersAhead: Bool { false }
    private let log = Mutex<[String]>([])
    var calls: [String] { log.withLock { $0 } }

    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let heard = context.session.last!
        log.withLock { $0.append("next \(context.user) \(heard.track) \(heard.fraction)") }
        let t = context.catalog.trackIDs.first { !context.played($0) } ?? 0
        return Recommendation(track: t, reason: "remote (\(name)) in 0.4 ms")
    }

    func sessionEnded(_ context: RecommendationContext) {
        let heard = context.session.last!
        log.withLock { $0.append("last \(context.user) \(heard.track) \(heard.fraction) after \(context.session.count) plays") }
    }
}

/// The test strategies with the logging service added, as `botify play --strategy http://…` lists it.
final class WithRemoteStrategies: StrategyProvider {
    let remote = LoggingServiceRecommender()
    private let base = TestStrategies()
    var strategies: [StrategyInfo] {
        base.strategies + [StrategyInfo(name: remote.name, summary: remote.summary, trainable: false)]
    }
    func recommender(named name: String) -> (any Recommender)? { name == remote.name ? remote : base.recommender(named: name) }
    func modelStatus(_ name: String) -> String { base.modelStatus(name) }
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String { "no model needed" }
}

/// Issue #15: the player with a remote strategy asks the service only about plays that happened,
/// and tells it when the session ends, as the course's agent does.
@Suite struct RemoteStrategyPlayerTests {
    static func playingRemote(width: Int = 80, height: Int = 24) -> (AppState, LoggingServiceRecommender, [Effect]) {
        let provider = WithRemoteStrategies()
        var state = makeState(width: width, height: height, strategies: provider)
        apply(&state, .command(.strategy(provider.remote.name)))
        apply(&state, ready(provider.remote.name, state))
        state.library.cursor = state.library.rows.firstIndex(of: 3)!
        let effects = apply(&state, .command(.select))
        state.message = nil
        return (state, provider.remote, effects)
    }

    static func tellAll(_ effects: [Effect]) -> [SessionEndNotice] {
        effects.compactMap { if case .tellSessionEnded(let n) = $0 { n.perform(); return n } else { return nil } }
    }

    @Test func upNextAsksNothingAheadAndSaysWhy() {
        let (state, remote, _) = Self.playingRemote()
        #expect(remote.calls.isEmpty, "asked ahead: \(remote.calls)")
        #expect(state.session?.candidates.isEmpty == true && state.session?.upNextAskedAtEnd == true)
        var screen = state
        screen.screen = .nowPlaying
        assertSnapshot(AppView.render(screen), named: "now-playing-remote-80x24")
    }

    @Test func eachPickIsAskedOnceWithWhatWasReallyHeard() {
        var (state, remote, _) = Self.playingRemote()
        // A skip at 40 of First Love's 260 s: the service hears 0.15, not a guess of 1.0.
        apply(&state, .tick(now: state.now + 40 / state.speed), .command(.skip))
        #expect(remote.calls == ["next 7 3 0.15"])
        #expect(state.session?.current?.track == 0 && state.session?.current?.recommendedBy == remote.name)
        let current = state.session!.current!
        apply(&state, .tick(now: state.now + (current.duration - current.position) / state.speed + 1))
        #expect(remote.calls == ["next 7 3 0.15", "next 7 0 1.0"])
        #expect(state.session?.plays.map(\.track) == [3, 0])
    }

    @Test func quittingTellsTheServiceTheSessionEnded() {
        var (state, remote, _) = Self.playingRemote()
        apply(&state, .tick(now: state.now + 26 / state.speed), .command(.skip))
        apply(&state, .tick(now: state.now + 1))
        let effects = apply(&state, .command(Command("quit")))
        let notices = Self.tellAll(effects)
        #expect(notices.map(\.strategies) == [[remote.name]])
        // The last play is the one abandoned at quit, with the fraction heard.
        let last = state.session!.plays.last!
        #expect(last.outcome == .abandoned)
        #expect(remote.calls.last == "last 7 \(last.track) \(last.fraction) after 2 plays")
        #expect(remote.calls.filter { $0.hasPrefix("last") }.count == 1)
    }

    @Test func aSessionWithoutAPickOfTheServiceSendsNoLast() {
        let provider = WithRemoteStrategies()
        var state = makeState(strategies: provider)
        apply(&state, .command(.select))
        let effects = apply(&state, .command(Command("quit")))
        #expect(Self.tellAll(effects).isEmpty)
        #expect(provider.remote.calls.isEmpty)
    }

    @Test func switchingAwayStillTellsTheServiceThatPicked() {
        var (state, remote, _) = Self.playingRemote()
        apply(&state, .tick(now: state.now + 26 / state.speed), .command(.skip))
        apply(&state, .command(.strategy("in-order")), .command(.skip))
        #expect(state.session?.current?.recommendedBy == "in-order")
        let notices = Self.tellAll(apply(&state, .command(Command("quit"))))
        #expect(notices.map(\.strategies) == [[remote.name, "in-order"]])
        #expect(remote.calls.filter { $0.hasPrefix("last") }.count == 1)
    }

    @Test func theStrategiesScreenListsTheRemoteStrategy() {
        var (state, _, _) = Self.playingRemote()
        apply(&state, .command(.screen(.strategies)))
        let frame = AppView.render(state)
        assertSnapshot(frame, named: "strategies-remote-80x24")
        #expect(frame.lines.contains { $0.contains("http://127.0.0.1:5001") })
    }

    @Test func theStatsScreenShowsRemoteSessionsWhole() {
        var state = makeState()
        for _ in 0..<4 { apply(&state, .command(Command("source"))) }
        #expect(state.statsSource == .remote && state.screen == .stats)
        apply(&state, .statsLoaded(StatsSnapshot(strategies: [
            StrategyStats(strategy: "i2i", source: .remote, users: 120, sessions: 361, meanLength: 3.41, ciLow: 3.2, ciHigh: 3.62,
                          skipRate: 0.52, heardPerRecommendation: 0.47, histogram: [10, 31, 60, 82, 70, 50, 30, 15, 8, 3, 1, 1]),
            StrategyStats(strategy: "random", source: .bot, users: 38, sessions: 398, meanLength: 2.47, ciLow: 2.36, ciHigh: 2.58,
                          skipRate: 0.67, heardPerRecommendation: 0.33, histogram: [20, 71, 120, 98, 55, 21, 9, 3, 1, 0, 0, 0]),
        ], abResults: [], histogramBucket: 0.5)))
        // "remote" is whole: the source column widens to fit it.
        #expect(AppView.render(state).lines.contains { $0.contains("i2i            remote ") })
        assertSnapshot(AppView.render(state), named: "stats-remote-80x24")
    }
}
