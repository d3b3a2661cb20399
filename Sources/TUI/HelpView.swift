import Terminal

/// Screen 6: every key binding (as configured) and the meaning of the play outcomes.
enum HelpView {
    static func lines(_ state: AppState) -> [(text: String, header: Bool)] {
        var out: [(String, Bool)] = [("Keys (override them in $XDG_CONFIG_HOME/botify/config.toml)", true)]
        var grouped: [(command: String, keys: [String])] = []
        for (key, command) in state.keymap.listed {
            if let i = grouped.firstIndex(where: { $0.command == command.text }) {
                grouped[i].keys.append(key.name)
            } else {
                grouped.append((command.text, [key.name]))
            }
        }
        for g in grouped {
            out.append(("  " + DisplayWidth.fit(g.keys.joined(separator: ", "), to: 14) + " " + g.command, false))
        }
        out.append(("", false))
        for line in DefaultAssets.helpText.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            out.append((text, !text.isEmpty && !text.hasPrefix(" ") && !text.hasPrefix("Session") && !text.hasPrefix("the first")))
        }
        return out
    }

    static func lineCount(_ state: AppState) -> Int { lines(state).count }

    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let all = lines(state)
        let top = min(state.helpScroll, max(0, all.count - rect.height))
        for (row, line) in all.dropFirst(top).prefix(rect.height).enumerated() {
            buffer.clipped(" " + line.text, x: 0, y: rect.y + row, style: line.header ? state.theme.header : .plain, width: rect.width)
        }
    }
}
