import Core
import Terminal
import Testing
@testable import TUI

@Suite struct PlaybackTests {
    @Test func enterOnALibraryRowStartsASessionWithThatTrack() {
        var state = makeState()
        state.library.cursor = 2
        let picked = state.library.rows[2]
        let effects = apply(&state, .command(.select))
        #expect(state.screen == .nowPlaying)
        #expect(state.currentTrack == picked)
        #expect(state.session?.current?.recommendedBy == nil)
        #expect(effects.first == .beginSession(user: 7, strategy: "in-order", source: .human, startedAt: 1_700_000_000))
        #expect(effects.contains(.trackStarted(picked)))
    }

    @Test func aThreeAndAHalfMinuteTrackPlaysInAboutTenSecondsThenTheStrategyPicksTheNext() {
        var state = makeState()
        apply(&state, .command(.search("strobe")), .command(.select))
        let strobe = state.currentTrack!
        state.session!.current!.duration = 210
        apply(&state, .tick(now: 1_700_000_005))
        #expect(abs(state.session!.current!.position - 105) < 1e-9)
        let effects = apply(&state, .tick(now: 1_700_000_010))
        #expect(recordedPlays(effects) == [Play(position: 0, track: strobe, fraction: 1, outcome: .listened, recommendedBy: nil)])
        #expect(state.currentTrack == 0)  // in-order: the first unplayed track
        #expect(state.session?.current?.recommendedBy == "in-order")
        #expect(state.session?.current?.reason == "next in catalog order")
    }

    @Test func skipRecordsTheFractionHeardAndMovesOn() {
        var state = makeState()
        apply(&state, .command(.select))
        let first = state.currentTrack!
        let duration = state.session!.current!.duration
        let wall = duration * 0.25 / defaultPlaybackSpeed
        let effects = apply(&state, .tick(now: 1_700_000_000 + wall), .key(.char("n")))
        let plays = recordedPlays(effects)
        #expect(plays.count == 1)
        #expect(plays[0].track == first && plays[0].outcome == .skipped && plays[0].fraction == 0.25)
        #expect(state.session?.plays.count == 1)
        #expect(state.currentTrack != first)
    }

    @Test func pauseStopsTheClockAndSpeedAndSeekMoveIt() {
        var state = makeState()
        apply(&state, .command(.select), .key(.char(" ")), .tick(now: 1_700_000_100))
        #expect(state.paused && state.session!.current!.position == 0)
        apply(&state, .key(.char(" ")), .key(.char("+")), .tick(now: 1_700_000_101))
        #expect(state.speed == 42 && abs(state.session!.current!.position - 42) < 1e-9)
        apply(&state, .key(.right))
        #expect(abs(state.session!.current!.position - 52) < 1e-9)
        apply(&state, .command(.seek(-100)))
        #expect(state.session!.current!.position == 0)
        apply(&state, .key(.char("-")), .key(.char("-")))
        #expect(state.speed == 10.5)
        apply(&state, .command(.speed(1e9)))
        #expect(state.speed == playbackSpeedRange.upperBound)
    }

    @Test func tooSmallIsInertButForQAndResize() {
        var state = makeState(width: 20, height: 6)
        #expect(state.isTooSmall)
        let before = state.screen
        for key: Key in [.enter, .char("n"), .char(" "), .char("2"), .char("/"), .char(":"), .down, .char("+"), .tab] {
            #expect(apply(&state, .key(key)).isEmpty, "\(key)")
        }
        #expect(state.session == nil && state.prompt == nil && state.screen == before && !state.quitting)
        #expect(state.speed == defaultPlaybackSpeed)
        apply(&state, .resize(TerminalSize(width: 80, height: 24)))
        #expect(!state.isTooSmall)
        apply(&state, .key(.enter))
        #expect(state.session != nil)
        apply(&state, .resize(TerminalSize(width: 30, height: 8)), .key(.char("n")))
        #expect(state.session?.plays.isEmpty == true)
        let effects = apply(&state, .key(.char("q")))
        #expect(state.quitting && effects.last == .quit)
    }

    @Test func speedCommandSetsWhilePlusAndMinusMultiply() throws {
        var state = makeState()
        apply(&state, .command(.select), .key(.char("+")))
        #expect(state.speed == 2 * defaultPlaybackSpeed)
        apply(&state, .command(try Command.parse("speed 1")))
        #expect(state.speed == defaultPlaybackSpeed)
        #expect(state.message?.text.hasPrefix("speed ×1 ") == true)
        apply(&state, .key(.char("+")), .key(.char("+")), .command(try Command.parse("speed 0.5")))
        #expect(state.speed == 0.5 * defaultPlaybackSpeed)
        apply(&state, .key(.char("-")))
        #expect(state.speed == 0.25 * defaultPlaybackSpeed)
        apply(&state, .command(try Command.parse("speed 3")), .command(try Command.parse("speed 3")))
        #expect(state.speed == 3 * defaultPlaybackSpeed)
        apply(&state, .command(try Command.parse("speed *2")))
        #expect(state.speed == 6 * defaultPlaybackSpeed)
    }

    @Test func quittingMidTrackRecordsAnAbandonedPlayAndEndsTheSession() {
        var state = makeState()
        apply(&state, .command(.select), .tick(now: 1_700_000_001))
        let effects = apply(&state, .key(.char("q")))
        let plays = recordedPlays(effects)
        #expect(plays.count == 1 && plays[0].outcome == .abandoned)
        #expect(plays[0].fraction == Float((21 / state.catalog.duration(plays[0].track) * 100).rounded() / 100))
        #expect(effects.suffix(2) == [.endSession(endedAt: 1_700_000_001), .quit])
        #expect(state.quitting)
    }

    @Test func aSignalQuitsTheSameWay() {
        var state = makeState()
        apply(&state, .command(.select))
        let effects = apply(&state, .key(.signal(15)))
        #expect(recordedPlays(effects).map(\.outcome) == [.abandoned])
        #expect(effects.last == .quit)
    }

    @Test func pickingAnotherTrackAbandonsTheCurrentSessionAndStartsANewOne() {
        var state = makeState()
        apply(&state, .command(.select), .command(.screen(.library)), .command(.down(1)))
        let effects = apply(&state, .command(.select))
        #expect(effects.compactMap { if case .endSession = $0 { 1 } else { nil } }.count == 1)
        #expect(recordedPlays(effects).map(\.outcome) == [.abandoned])
        #expect(state.session?.plays.isEmpty == true)
    }

    @Test func aStrategySwitchTakesOverAtTheNextTrack() {
        var state = makeState()
        apply(&state, .command(.select), .command(.strategy("random")))
        #expect(state.activeStrategy == "in-order" && state.pendingStrategy == "random")
        apply(&state, .command(.skip))
        #expect(state.activeStrategy == "random" && state.pendingStrategy == nil)
        #expect(state.session?.current?.recommendedBy == "random")
        apply(&state, .command(.strategy("nope")))
        #expect(state.message?.isError == true && state.activeStrategy == "random")
    }

    @Test func enterOnTheStrategiesScreenSwitchesAndPreparesTheStrategyInTheBackground() {
        var state = makeState()
        let effects = apply(&state, .key(.char("s")), .key(.char("j")), .key(.enter))
        #expect(state.screen == .strategies && state.activeStrategy == "random")
        #expect(effects == [.prepareStrategy("random", generation: 0)] && state.preparing == ["random"])
        apply(&state, ready("random", state))
        #expect(state.preparing.isEmpty)
    }

    @Test func likeTogglesTheCurrentTrack() {
        var state = makeState()
        apply(&state, .command(.like))
        #expect(state.message?.text == "nothing is playing")
        apply(&state, .command(.select), .key(.char("l")))
        #expect(state.session!.liked == [state.currentTrack!])
        apply(&state, .key(.char("l")))
        #expect(state.session!.liked.isEmpty)
    }
}

@Suite struct BotTests {
    @Test func theListenersDecisionSkipsAtItsFractionAndEndsTheSession() {
        var state = makeState(source: .bot)
        let start = apply(&state, .listenerStarts(3))
        #expect(start.contains(.beginSession(user: 7, strategy: "in-order", source: .bot, startedAt: 1_700_000_000)))
        apply(&state, .listenerDecides(fraction: 1, continues: true))
        var effects = apply(&state, .tick(now: 1_700_000_000 + 260.1 / defaultPlaybackSpeed))
        #expect(recordedPlays(effects).map(\.outcome) == [.listened])
        apply(&state, .listenerDecides(fraction: 0.4, continues: false))
        let d = state.session!.current!.duration
        effects = apply(&state, .tick(now: state.now + d * 0.39 / defaultPlaybackSpeed))
        #expect(recordedPlays(effects).isEmpty)
        effects = apply(&state, .tick(now: state.now + d * 0.02 / defaultPlaybackSpeed))
        #expect(recordedPlays(effects).map(\.fraction) == [0.4])
        let ending = Array(effects.suffix(3))
        #expect(ending.first == .endSession(endedAt: state.now) && ending.last == .sessionFinished)
        // The strategy that picked is told, with the whole session (a remote one sends /last).
        guard case .tellSessionEnded(let notice)? = ending.dropFirst().first else { Issue.record("no notice: \(ending)"); return }
        #expect(notice.strategies == ["in-order"] && notice.context.session.map(\.fraction) == [1, 0.4])
        #expect(state.session?.current == nil && abs(state.session!.length - 1.4) < 1e-6)
    }
}

@Suite struct LibraryTests {
    @Test func searchIsIncrementalCaseAndAccentInsensitive() {
        var state = makeState()
        apply(&state, .key(.char("/")))
        for c in "BEYON" { apply(&state, .key(.char(c))) }
        #expect(state.library.rows.map { state.catalog.title($0) } == ["Déjà Vu"])
        apply(&state, .key(.backspace), .key(.backspace), .key(.backspace), .key(.backspace), .key(.backspace))
        for c in "deja" { apply(&state, .key(.char(c))) }
        #expect(state.library.rows.map { state.catalog.title($0) } == ["Déjà Vu"])
        apply(&state, .key(.enter))
        #expect(state.prompt == nil && state.library.query == "deja")
        apply(&state, .command(.search("queen now")))
        #expect(state.library.rows.map { state.catalog.title($0) } == ["Don't Stop Me Now"])
        apply(&state, .command(.search("東京")))
        #expect(state.library.rows.map { state.catalog.artistName($0) } == ["ヨルシカ"])
        apply(&state, .key(.char("/")), .key(.escape))
        #expect(state.library.rows.count == state.catalog.count)
    }

    @Test func filterByGenreOrArtistAndSort() {
        var state = makeState()
        apply(&state, .command(.filterGenre("ROCK")))
        #expect(Set(state.library.rows.map { state.catalog.title($0) }) == ["Bohemian Rhapsody", "Don't Stop Me Now", "Hey Jude"])
        apply(&state, .command(.sort(.year)))
        #expect(state.library.rows.map { state.catalog.years[Int($0)] } == [1978, 1975, 1968])
        apply(&state, .command(.clearFilter), .command(.filterArtist("cafe tacvba")))
        #expect(state.library.rows.map { state.catalog.title($0) } == ["Eres"])
        apply(&state, .command(.filterArtist("nobody")))
        #expect(state.message == Message(text: "no artist 'nobody' in the catalog", isError: true))
        apply(&state, .command(.clearFilter), .command(.sort(.title)))
        #expect(state.catalog.title(state.library.rows[0]) == "A Very Long Title That Will Certainly Not Fit In Any Column At All")
        state.library.cursor = state.library.rows.firstIndex { state.catalog.title($0) == "Hey Jude" }!
        apply(&state, .key(.char("a")))
        #expect(state.library.rows.map { state.catalog.artistName($0) } == ["The Beatles"])
    }

    @Test func navigationStaysInBounds() {
        var state = makeState()
        apply(&state, .key(.char("G")))
        #expect(state.library.cursor == state.catalog.count - 1)
        apply(&state, .key(.char("j")), .key(.pageDown))
        #expect(state.library.cursor == state.catalog.count - 1)
        apply(&state, .key(.char("g")), .key(.char("k")), .key(.pageUp))
        #expect(state.library.cursor == 0)
    }
}

@Suite struct PromptTests {
    @Test func theColonPromptRunsCommandsAndReportsErrors() {
        var state = makeState()
        apply(&state, .key(.char(":")))
        for c in "screen stats" { apply(&state, .key(.char(c))) }
        let effects = apply(&state, .key(.enter))
        #expect(state.screen == .stats && effects == [.loadStats(nil, baseline: "random")])
        apply(&state, .key(.char(":")))
        for c in "fly away" { apply(&state, .key(.char(c))) }
        apply(&state, .key(.enter))
        #expect(state.message == Message(text: "unknown command 'fly'", isError: true))
        apply(&state, .key(.char(":")), .key(.backspace))
        #expect(state.prompt == nil)
    }

    @Test func retrainRunsOnlyForTrainableStrategies() {
        var state = makeState()
        apply(&state, .command(.retrain("random")))
        #expect(state.message?.text == "random has no model to train")
        let effects = apply(&state, .command(.retrain("trained-order")))
        #expect(effects == [.retrain("trained-order")] && state.retraining["trained-order"] == 0)
        #expect(apply(&state, .command(.retrain("trained-order"))).isEmpty)
        apply(&state, .retrainProgress("trained-order", 0.5))
        #expect(state.retraining["trained-order"] == 0.5)
        apply(&state, .retrainFinished("trained-order", status: "trained on 3 sessions"))
        #expect(state.retraining.isEmpty && state.modelStatus["trained-order"] == "trained on 3 sessions")
    }

    @Test func sourceCyclesThroughAllHumanBotSimRemote() {
        var state = makeState()
        let loads = (0..<5).flatMap { _ in apply(&state, .command(.cycleSource)) }
        #expect(loads == [.human, .bot, .sim, .remote, nil].map { .loadStats($0, baseline: "random") })
    }

    @Test func enterOnAStatsRowMakesItTheBaselineAndAgainClearsIt() {
        var state = makeState()
        apply(&state, .command(.screen(.stats)), .statsLoaded(ScreenSnapshotTests.stats), .command(.select))
        #expect(state.statsBaseline == "sticky-artist")
        let effects = apply(&state, .command(.select))
        #expect(state.statsBaseline == nil && effects == [.loadStats(nil, baseline: nil)])
    }
}

@Suite struct PreparingTests {
    @Test func whileAStrategyIsPreparedTheBaselinePicksAndSaysSo() {
        var state = makeState()
        apply(&state, .command(.strategy("trained-order")), .command(.select), .command(.skip))
        #expect(state.preparing == ["trained-order"])
        #expect(state.session?.current?.recommendedBy == "random")
        #expect(state.session?.current?.reason.hasPrefix("trained-order is still being prepared: ") == true)
        #expect(state.session?.candidates.isEmpty == true)
        apply(&state, ready("trained-order", state))
        #expect(state.session?.candidates.isEmpty == false)
        apply(&state, .command(.skip))
        #expect(state.session?.current?.recommendedBy == "trained-order")
    }
}

/// History pages through every session: no silent cap, `G` reaches the oldest, live refreshes.
@Suite struct HistoryPagingTests {
    static func sessions(_ ids: ClosedRange<Int64>) -> [HistorySession] {
        ids.reversed().map { HistorySession(id: $0, user: 7, strategy: "random", source: .human, startedAt: 1_700_000_000 + Double($0),
                                            plays: [Play(position: 0, track: 0, fraction: 1, outcome: .listened, recommendedBy: nil)]) }
    }

    @Test func openingHistoryReadsTheNewestPageAndScrollingPastItReadsTheNext() {
        var state = makeState()
        #expect(apply(&state, .command(.screen(.history))) == [.loadHistory(before: nil, limit: historyPageSize)])
        // 120 sessions stored: the first page holds the newest 50.
        apply(&state, .historyPageLoaded(HistoryPage(sessions: Self.sessions(71...120), total: 120), before: nil))
        #expect(state.history.count == 50 && state.historyTotal == 120)
        #expect(apply(&state, .command(.down(10))).isEmpty)  // far from the end: nothing to read yet
        let effects = apply(&state, .command(.pageDown), .command(.pageDown))
        #expect(effects == [.loadHistory(before: 71, limit: historyPageSize)])  // once, not per key
        #expect(apply(&state, .command(.down(1))).isEmpty)
        apply(&state, .historyPageLoaded(HistoryPage(sessions: Self.sessions(21...70), total: 120), before: 71))
        #expect(state.history.map(\.id) == Array((21...120).reversed()))
        #expect(!state.historyLoading)
    }

    @Test func bottomLoadsEveryPageAndLandsOnTheOldest() {
        var state = makeState()
        apply(&state, .command(.screen(.history)),
              .historyPageLoaded(HistoryPage(sessions: Self.sessions(1_951...2_000), total: 2_000), before: nil))
        #expect(apply(&state, .command(.bottom)) == [.loadHistory(before: 1_951, limit: 1_000)])
        #expect(apply(&state, .historyPageLoaded(HistoryPage(sessions: Self.sessions(951...1_950), total: 2_000), before: 1_951))
                == [.loadHistory(before: 951, limit: 950)])
        apply(&state, .historyPageLoaded(HistoryPage(sessions: Self.sessions(1...950), total: 2_000), before: 951))
        #expect(state.history.count == 2_000 && state.historyCursor == 1_999 && state.history[state.historyCursor].id == 1)
        let screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("2,000 / 2,000"))
    }

    @Test func aSessionEndingOnHistoryRefreshesItAndKeepsTheSelection() {
        var state = makeState()
        apply(&state, .command(.screen(.history)),
              .historyPageLoaded(HistoryPage(sessions: Self.sessions(1...3), total: 3), before: nil), .command(.down(1)))
        #expect(state.history[state.historyCursor].id == 2)
        let started = apply(&state, .command(.select))  // nothing to select on History: no session
        #expect(started.isEmpty)
        state.screen = .library
        apply(&state, .command(.select))
        state.screen = .history
        let effects = apply(&state, .command(.stop))
        #expect(effects.contains(.endSession(endedAt: 1_700_000_000)))
        #expect(effects.contains(.loadHistory(before: nil, limit: historyPageSize)))
        apply(&state, .historyPageLoaded(HistoryPage(sessions: Self.sessions(1...4), total: 4), before: nil))
        #expect(state.history.map(\.id) == [4, 3, 2, 1] && state.history[state.historyCursor].id == 2)
        #expect(state.historyTotal == 4)
    }
}
