import Core
import Terminal
import Testing
@testable import TUI

/// A listener that hears each track to a fixed fraction and leaves after `plays` tracks.
final class FixedBot: BotListener {
    var fractions: [Float]
    var sessionsStarted = 0
    private var heard = 0
    init(fractions: [Float]) { self.fractions = fractions }
    func beginSession() -> TrackID {
        sessionsStarted += 1
        heard = 0
        return 4
    }
    func hear(_ track: TrackID) -> (fraction: Float, continues: Bool) {
        defer { heard += 1 }
        return (fractions[heard], heard + 1 < fractions.count)
    }
}

@Suite struct PlayerAppTests {
    func makeApp(terminal: HeadlessTerminal, clock: ManualClock, recorder: MemoryRecorder, bot: (any BotListener)? = nil,
                 script: Script? = nil, strategies: any StrategyProvider = TestStrategies()) -> PlayerApp {
        let data = FixedData(snapshot: ScreenSnapshotTests.stats, sessions: ScreenSnapshotTests.history)
        return PlayerApp(state: makeState(strategies: strategies, source: bot == nil ? .human : .bot), terminal: terminal, clock: clock,
                         recorder: recorder, data: data, bot: bot, script: script)
    }

    @Test func keysDriveTheLoopAndEveryPlayIsRecordedAsItEnds() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock(start: 1_700_000_000)
        let recorder = MemoryRecorder()
        let app = makeApp(terminal: terminal, clock: clock, recorder: recorder)
        app.start()
        #expect(terminal.lines[0].contains("1 Library"))
        for key: Key in [.char("/"), .char("q"), .char("u"), .char("e"), .char("e"), .char("n"), .enter, .enter] { app.step(key: key) }
        #expect(app.state.screen == .nowPlaying && app.state.catalog.artistName(app.state.currentTrack!) == "Queen")
        clock.advance(by: 2)
        app.step(key: .char("n"))
        #expect(recorder.open?.plays.count == 1 && recorder.open?.plays[0].outcome == .skipped)
        app.step(key: .char("n"))
        app.step(key: .char("n"))
        #expect(recorder.open?.plays.map(\.position) == [0, 1, 2])
        app.step(key: .char("q"))
        #expect(app.state.quitting)
        #expect(recorder.sessions.count == 1 && recorder.sessions[0].plays.count == 4)
        #expect(recorder.sessions[0].plays.last?.outcome == .abandoned)
    }

    @Test func anIdleFrameSendsNothingAndResizeRelaysOut() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let app = makeApp(terminal: terminal, clock: ManualClock(), recorder: MemoryRecorder())
        app.start()
        app.step(key: nil)
        #expect(terminal.lastChangedCells == 0)
        terminal.resize(width: 40, height: 12)
        app.step(key: terminal.readKey(timeoutMilliseconds: 0))
        #expect(app.state.size == TerminalSize(width: 40, height: 12) && terminal.lines.count == 12)
        terminal.resize(width: 30, height: 8)
        app.step(key: terminal.readKey(timeoutMilliseconds: 0))
        #expect(terminal.text.contains("Terminal too small: 30×8"))
    }

    @Test func statsAndHistoryLoadInTheBackground() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let app = makeApp(terminal: terminal, clock: ManualClock(), recorder: MemoryRecorder())
        app.start()
        app.step(key: .char("4"))
        app.settle { $0.stats != nil }
        #expect(app.state.stats == ScreenSnapshotTests.stats)
        #expect(terminal.text.contains("sticky-artist  bot      412 3.12 [2.98, 3.26]"))
        app.step(key: .char("5"))
        app.settle { $0.history.count >= 2 }
        #expect(app.state.history.count == 2)
    }

    @Test func retrainingReportsProgressThenStatusWithoutBlocking() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let app = makeApp(terminal: terminal, clock: ManualClock(), recorder: MemoryRecorder())
        app.start()
        app.dispatch(.command(.retrain("trained-order")))
        #expect(app.state.retraining["trained-order"] == 0)
        app.settle { $0.retraining["trained-order"] == nil }
        #expect(app.state.modelStatus["trained-order"] == "trained on 3 sessions")
        let failing = makeApp(terminal: terminal, clock: ManualClock(), recorder: MemoryRecorder(), strategies: TestStrategies(failTraining: true))
        failing.dispatch(.command(.retrain("trained-order")))
        failing.settle { $0.retraining["trained-order"] == nil }
        #expect(failing.state.message?.text == "retraining trained-order failed: no logged sessions to learn from")
    }

    @Test func theBotListensSkipsAndStartsNewSessions() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let recorder = MemoryRecorder()
        let bot = FixedBot(fractions: [1, 0.5, 0.25])
        let app = makeApp(terminal: terminal, clock: clock, recorder: recorder, bot: bot)
        app.start()
        #expect(app.state.screen == .nowPlaying && app.state.currentTrack == 4)
        #expect(terminal.text.contains("why: the listener's own pick (bot)"))
        for _ in 0..<400 where recorder.sessions.isEmpty {
            clock.advance(by: 0.25)
            app.step(key: nil)
        }
        let session = try! #require(recorder.sessions.first)
        #expect(session.source == .bot)
        #expect(session.plays.map(\.fraction) == [1, 0.5, 0.25])
        #expect(session.plays.map(\.outcome) == [.listened, .skipped, .skipped])
        #expect(bot.sessionsStarted == 2 && recorder.open != nil)
    }

    @Test func stoppingTheBotsSessionLetsItStartItsNextOne() throws {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let recorder = MemoryRecorder()
        let bot = FixedBot(fractions: [1, 1, 1, 1])
        let app = makeApp(terminal: terminal, clock: ManualClock(), recorder: recorder, bot: bot)
        app.start()
        app.step(key: .char("x"))
        let stopped = try #require(recorder.sessions.first)
        #expect(stopped.plays.map(\.outcome) == [.abandoned])
        #expect(bot.sessionsStarted == 2 && recorder.open != nil && app.state.currentTrack != nil)
    }

    @Test func aScriptRunsCommandsAndHonoursWaits() throws {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let recorder = MemoryRecorder()
        let script = try Script.parse("search blue\nselect\nwait 2\nskip\nscreen strategies\nquit\n", file: "t.botify")
        let app = makeApp(terminal: terminal, clock: clock, recorder: recorder, script: script)
        app.start()
        app.step(key: nil)
        #expect(app.state.catalog.title(app.state.currentTrack!) == "Blue in Green" && app.state.session?.plays.isEmpty == true)
        clock.advance(by: 1)
        app.step(key: nil)
        #expect(app.state.session?.plays.isEmpty == true)
        clock.advance(by: 1.5)
        app.step(key: nil)
        #expect(app.state.quitting && recorder.sessions.first?.plays.map(\.outcome) == [.skipped, .abandoned])
    }

    @Test func aScriptsWaitLeavesTheLastCommandsMessageOnScreen() throws {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let script = try Script.parse("search blue\nselect\nlike\nwait 2\nstrategy nope\nwait 2\nquit\n", file: "t.botify")
        let app = makeApp(terminal: terminal, clock: clock, recorder: MemoryRecorder(), script: script)
        app.start()
        app.step(key: nil)
        #expect(terminal.text.contains("liked Blue in Green"))
        clock.advance(by: 2)
        app.step(key: nil)
        #expect(terminal.text.contains("unknown strategy 'nope'"))
    }

    @Test func aSignalEndsTheLoopAndLosesNothing() {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let recorder = MemoryRecorder()
        let app = makeApp(terminal: terminal, clock: ManualClock(), recorder: recorder)
        terminal.enqueue(.enter, .char("n"), .signal(1))
        app.run()
        #expect(terminal.isShutDown && app.endingSignal == 1)
        #expect(recorder.sessions.first?.plays.map(\.outcome) == [.skipped, .abandoned])
    }
}
