import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 3: a click on a tab shows it, on a row of the Library, Strategies or History
/// selects it (a double click acts as Enter), the wheel scrolls; with the mouse off in config,
/// none of it acts.
@Suite struct MouseTests {
    static func click(_ x: Int, _ y: Int, _ kind: MouseEvent.Kind = .click) -> Action { .key(.mouse(MouseEvent(x: x, y: y, kind: kind))) }

    @Test func aClickOnATabShowsItsScreen() {
        var state = makeState()
        // " 1 Library  2 Now Playing  3 Strategies  4 Stats …": "4 Stats" starts at column 39.
        #expect(apply(&state, Self.click(41, 0)) == [.loadStats(nil, baseline: "random")] && state.screen == .stats)
        apply(&state, Self.click(2, 0))
        #expect(state.screen == .library)
        var narrow = makeState(width: 40, height: 12)  // " 1 Library  2 3 4 5 6": numbers only but the current
        apply(&narrow, Self.click(12, 0))  // the "2"
        #expect(narrow.screen == .nowPlaying)
    }

    @Test func aClickSelectsALibraryRowAndADoubleClickPlaysIt() {
        var state = makeState()
        apply(&state, Self.click(10, 5))  // rows start on line 3: the third row
        #expect(state.library.cursor == 2 && state.session == nil)
        let picked = state.library.rows[4]
        apply(&state, Self.click(10, 7, .doubleClick))
        #expect(state.currentTrack == picked && state.screen == .nowPlaying)
        apply(&state, .command(.screen(.library)), Self.click(10, 40))  // below the list: nothing
        #expect(state.library.cursor == 4)
    }

    @Test func theWheelScrollsThreeRowsANotch() {
        var state = makeState()
        apply(&state, Self.click(0, 10, .wheelDown), Self.click(0, 10, .wheelDown))
        #expect(state.library.cursor == 6)
        apply(&state, Self.click(0, 10, .wheelUp))
        #expect(state.library.cursor == 3)
    }

    @Test func withTheMouseOffClicksDoNothing() throws {
        var config = PlayerConfig()
        try config.apply(toml: "[mouse]\nenabled = false\n", file: "config.toml")
        #expect(config.mouse == false)
        var state = makeState()
        state.mouse = config.mouse
        apply(&state, Self.click(41, 0), Self.click(10, 5, .doubleClick))
        #expect(state.screen == .library && state.library.cursor == 0 && state.session == nil)
    }

    @Test func aClickSelectsAStrategyAndADoubleClickSwitchesToIt() throws {
        var state = makeState()
        apply(&state, .command(.screen(.strategies)))
        let list = state.strategies.strategies.map(\.name)
        try #require(list.count >= 3)
        // Line 1 is the hint; each strategy takes two lines from line 2: its second line selects it too.
        apply(&state, Self.click(5, 5))
        #expect(state.strategyCursor == 1)
        apply(&state, Self.click(5, 6, .doubleClick))
        #expect(state.strategyCursor == 2)
        #expect(state.activeStrategy == list[2] || state.pendingStrategy == list[2])
        apply(&state, Self.click(5, 1))  // the hint line: nothing
        #expect(state.strategyCursor == 2)
    }

    @Test func aClickSelectsAHistorySessionOrOneOfItsPlays() {
        var state = makeState()
        apply(&state, .command(.screen(.history)), .historyLoaded(ScreenSnapshotTests.history))
        // As in history-80x24: sessions on lines 2 and 3, the plays of the selected one from line 12.
        apply(&state, Self.click(5, 3))
        #expect(state.historyCursor == 1 && state.historyPlayCursor == nil)
        apply(&state, Self.click(5, 2))
        #expect(state.historyCursor == 0)
        apply(&state, Self.click(5, 13))
        #expect(state.historyPlayCursor == 1)
        apply(&state, Self.click(5, 13, .doubleClick))  // still that play: Enter would leave the plays
        #expect(state.historyPlayCursor == 1)
        apply(&state, Self.click(5, 2, .doubleClick))  // a session: its plays open, as Tab does
        #expect(state.historyCursor == 0 && state.historyPlayCursor == 0)
        apply(&state, Self.click(5, 3))  // another session: the cursor leaves the plays
        #expect(state.historyCursor == 1 && state.historyPlayCursor == nil)
        apply(&state, Self.click(5, 8))  // an empty line of the list: nothing
        #expect(state.historyCursor == 1)
    }
}
