import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 items 4 and 5: readline editing in `/` and `:`, Tab completion, history, `:help`.
@Suite struct PromptEditingTests {
    static func type(_ text: String, _ state: inout AppState) {
        for c in text { apply(&state, .key(.char(c))) }
    }

    static let ctrlU = Key.char("\u{15}"), ctrlW = Key.char("\u{17}"), ctrlA = Key.char("\u{01}"), ctrlE = Key.char("\u{05}")

    @Test func ctrlWAndCtrlUCutInTheSearchAndSearchAgain() {
        var state = makeState()
        apply(&state, .key(.char("/")))
        PromptEditingTests.type("queen jazz", &state)
        apply(&state, .key(PromptEditingTests.ctrlW))
        #expect(state.prompt == .search(LineEdit("queen ")) && state.library.query == "queen ")
        #expect(state.library.rows.count == 2)
        apply(&state, .key(PromptEditingTests.ctrlU))
        #expect(state.prompt == .search(LineEdit("")) && state.library.rows.count == state.catalog.count)
        apply(&state, .key(.char("\u{0C}")), .key(.char("\u{1B}")))  // other control characters are not text
        #expect(state.prompt == .search(LineEdit("")))
        apply(&state, .key(.enter))
        #expect(state.prompt == nil)
    }

    @Test func theCursorMovesAndTypingInsertsWhereItIs() {
        var state = makeState(width: 40, height: 12)
        apply(&state, .key(.char(":")))
        PromptEditingTests.type("sip", &state)
        apply(&state, .key(.left), .key(.left), .key(.char("k")))
        #expect(state.prompt?.line.text == "skip" && state.prompt?.line.cursor == 2)
        #expect(AppView.render(state).cursor == Position(x: 3, y: 11))
        apply(&state, .key(PromptEditingTests.ctrlA), .key(.char("x")), .key(PromptEditingTests.ctrlE), .key(.backspace))
        #expect(state.prompt?.line.text == "xski" && state.prompt?.line.cursor == 4)
        #expect(AppView.render(state).lines.last == ":xski")
    }

    @Test func tabCompletesCommandsAndStrategyNames() {
        var state = makeState()
        apply(&state, .key(.char(":")))
        PromptEditingTests.type("stra", &state)
        apply(&state, .key(.tab))
        #expect(state.prompt?.line.text == "strategy ")
        PromptEditingTests.type("ra", &state)
        apply(&state, .key(.tab))
        #expect(state.prompt?.line.text == "strategy random")
        apply(&state, .key(.enter))
        #expect(state.activeStrategy == "random")
        apply(&state, .key(.char(":")), .key(.char("s")), .key(.char("t")), .key(.tab))
        #expect(state.prompt?.line.text == "st" && state.message?.text == "stop · strategy")
        apply(&state, .key(PromptEditingTests.ctrlU))
        PromptEditingTests.type("filter g", &state)
        apply(&state, .key(.tab))
        #expect(state.prompt?.line.text == "filter genre ")
        PromptEditingTests.type("JA", &state)
        apply(&state, .key(.tab))
        #expect(state.prompt?.line.text == "filter genre jazz")
    }

    @Test func upAndDownRecallEarlierLines() {
        var state = makeState()
        for line in ["sort year", "screen stats", "sort year"] {
            apply(&state, .key(.char(":")))
            PromptEditingTests.type(line, &state)
            apply(&state, .key(.enter))
        }
        #expect(state.commandHistory == ["sort year", "screen stats", "sort year"])
        apply(&state, .key(.char(":")))
        PromptEditingTests.type("dra", &state)
        apply(&state, .key(.up))
        #expect(state.prompt?.line.text == "sort year")
        apply(&state, .key(.up), .key(.up), .key(.up))
        #expect(state.prompt?.line.text == "sort year" && state.commandHistoryIndex == 0)
        apply(&state, .key(.down))
        #expect(state.prompt?.line.text == "screen stats")
        apply(&state, .key(.down), .key(.down))
        #expect(state.prompt?.line.text == "dra" && state.commandHistoryIndex == nil)
    }

    @Test func helpOpensHelpOrSaysWhatACommandDoesAndItsKeys() throws {
        var state = makeState()
        apply(&state, .command(try Command.parse("help")))
        #expect(state.screen == .help)
        apply(&state, .command(try Command.parse("help seek")))
        #expect(state.message?.text == "seek ±SECONDS: move within the track; keys: right (seek +10), left (seek -10)")
        apply(&state, .command(try Command.parse("help filter genre")))
        #expect(state.message?.text.hasPrefix("filter genre [NAME]: show one genre") == true)
        apply(&state, .command(try Command.parse("help dance")))
        #expect(state.message == Message(text: "unknown command 'dance' (:help lists them)", isError: true))
    }
}
