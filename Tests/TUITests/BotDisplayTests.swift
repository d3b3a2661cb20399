import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 9: bot mode worth watching — the plan can be hidden, every skip flashes long
/// enough to read at ×8, and a script says where it is.
@Suite struct BotDisplayTests {
    /// A bot session at ×8 whose first track (Bohemian Rhapsody, 5:54) the listener leaves at 25%.
    static func botState(width: Int = 80, height: Int = 24, display: BotDisplay = BotDisplay()) -> AppState {
        var state = makeState(width: width, height: height, source: .bot)
        state.bot = display
        state.speed = 8 * defaultPlaybackSpeed
        apply(&state, .launch(bot: true), .listenerStarts(0), .listenerDecides(fraction: 0.25, continues: true))
        return state
    }

    static func playerBar(_ state: AppState) -> String { AppView.render(state).lines[state.size.height - 2] }

    @Test func eachSkipFlashesOnThePlayerBarForTwoAndAHalfWallSeconds() {
        var state = Self.botState()
        let start = state.now
        apply(&state, .tick(now: start + 1))  // 168 s of track: past 25% (88.5 s)
        #expect(state.session?.plays.last?.fraction == 0.25 && state.session?.plays.last?.outcome == .skipped)
        #expect(Self.playerBar(state).contains("skipped at 25%"))
        // The next skip comes 0.2 s later, well inside the first one's time: they show together.
        apply(&state, .listenerDecides(fraction: 0.1, continues: true), .tick(now: start + 1.2))
        #expect(state.session?.plays.map(\.fraction) == [0.25, 0.1])
        #expect(Self.playerBar(state).contains("skipped at 25%, 10%"))
        apply(&state, .tick(now: start + 3.6))
        #expect(Self.playerBar(state).contains("skipped at 25%, 10%"), "2.4 s after the last skip: still up")
        apply(&state, .tick(now: start + 3.8))
        #expect(!Self.playerBar(state).contains("skipped"), "2.6 s after: gone")
    }

    @Test func manySkipsInARowAreCountedAndALeavingListenerSaysSo() {
        var state = Self.botState()
        var now = state.now
        for _ in 0..<4 {
            now += 1
            apply(&state, .tick(now: now))  // the next pick is drawn before the listener hears it
            apply(&state, .listenerDecides(fraction: 0.05, continues: true))
        }
        #expect(state.skipCue?.count == 4)
        #expect(state.skipCue?.text == "4 skips: …, 5%, 5%, 5%")
        apply(&state, .listenerDecides(fraction: 0.3, continues: false), .tick(now: now + 2))
        #expect(state.skipCue?.text == "5 skips: …, 5%, 5%, 30%, then left")
    }

    @Test func theCueCanBeTurnedOffAndIsNeverShownForAPersonsOwnSkips() {
        var off = Self.botState(display: BotDisplay(showPlan: true, skipCue: false))
        apply(&off, .tick(now: off.now + 1))
        #expect(off.session?.plays.count == 1 && off.skipCue == nil)
        var human = makeState()
        apply(&human, .command(.select), .tick(now: human.now + 1), .command(.skip))
        #expect(human.skipCue == nil)
    }

    @Test func noSpoilersHidesThePlanUntilItHappens() {
        let shown = AppView.render(Self.botState()).lines.joined(separator: "\n")
        #expect(shown.contains("listener: moves on at 1:28 (0.25)"))
        var hidden = Self.botState(display: BotDisplay(showPlan: false, skipCue: true))
        let text = AppView.render(hidden).lines.joined(separator: "\n")
        #expect(text.contains("listener: plan hidden (no spoilers)"))
        #expect(!text.contains("1:28") && !text.contains("0.25") && !text.contains("leaves"))
        apply(&hidden, .tick(now: hidden.now + 1))
        #expect(Self.playerBar(hidden).contains("skipped at 25%"), "the skip itself still shows")
    }

    @Test func botModeRefusesSeeking() {
        var state = Self.botState()
        apply(&state, .command(Command("seek", .offset(60))))
        #expect(state.session?.current?.position == 0)
        #expect(state.message?.text.contains("the simulated listener decides") == true)
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func skipCueGolden(_ w: Int, _ h: Int) {
        var state = Self.botState(width: w, height: h)
        let start = state.now
        apply(&state, .tick(now: start + 1))
        apply(&state, .listenerDecides(fraction: 0.5, continues: true), .tick(now: start + 1.25))
        assertStyledSnapshot(AppView.render(state), named: "bot-skip-cue-\(w)x\(h)", depth: .eight)
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func noSpoilersGolden(_ w: Int, _ h: Int) {
        var state = Self.botState(width: w, height: h, display: BotDisplay(showPlan: false, skipCue: true))
        apply(&state, .tick(now: state.now + 0.25))
        assertSnapshot(AppView.render(state), named: "bot-no-spoilers-\(w)x\(h)")
    }

    // MARK: scripts

    @Test func scriptsKnowTheirLines() throws {
        let script = try Script.parse("# demo\nsearch queen\n\nselect\nwait 2\n# the end\nquit\n", file: "demo.botify")
        #expect(script.lines == [2, 4, 5, 7] && script.lineCount == 7)
        #expect(try Script.parse("skip", file: "x").lineCount == 1)
    }

    @Test func theStatusLineSaysWhichScriptLineIsRunning() throws {
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let script = try Script.parse("# demo\nsearch blue\nselect\nwait 2\n\nskip\nwait 1\n", file: "t.botify")
        let data = FixedData(snapshot: ScreenSnapshotTests.stats, sessions: ScreenSnapshotTests.history)
        let app = PlayerApp(state: makeState(), terminal: terminal, clock: clock, recorder: MemoryRecorder(), data: data, script: script)
        app.start()
        app.step(key: nil)
        #expect(terminal.lines[23].contains("script: line 4/7"), "waiting on line 4")
        assertSnapshot(terminal.frame!, named: "script-indicator-80x24")
        clock.advance(by: 2.1)
        app.step(key: nil)
        #expect(terminal.lines[23].contains("script: line 7/7"))
        clock.advance(by: 1.1)
        app.step(key: nil)
        #expect(terminal.lines[23].contains("script: done"))
        let narrow = HeadlessTerminal(width: 40, height: 12)
        let small = PlayerApp(state: makeState(width: 40, height: 12), terminal: narrow, clock: ManualClock(), recorder: MemoryRecorder(),
                              data: data, script: script)
        small.start()
        small.step(key: nil)
        assertSnapshot(narrow.frame!, named: "script-indicator-40x12")
    }
}
