import Core
import Terminal

/// Draws the whole frame: tabs, the current screen, the player bar and the status line.
public enum AppView {
    public static let minimumSize = TerminalSize(width: 40, height: 10)

    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.size.width, height: state.size.height)
        let w = state.size.width, h = state.size.height
        guard !state.isTooSmall else {
            drawTooSmall(state, &buffer)
            return buffer
        }
        drawTabs(state, &buffer)
        let message = messageLines(state)
        let body = body(state)
        switch state.screen {
        case .library: LibraryView.draw(state, in: body, &buffer)
        case .nowPlaying: NowPlayingView.draw(state, in: body, &buffer)
        case .strategies: StrategiesView.draw(state, in: body, &buffer)
        case .stats: StatsView.draw(state, in: body, &buffer)
        case .history: HistoryView.draw(state, in: body, &buffer)
        case .help: HelpView.draw(state, in: body, &buffer)
        }
        drawPlayerBar(state, y: h - 2 - message.count, &buffer)
        for (i, text) in message.enumerated() {
            let y = h - 1 - message.count + i
            buffer.fill(row: y, style: messageStyle(state))
            buffer.clipped(text, x: 1, y: y, width: w - 1, style: messageStyle(state))
        }
        drawStatus(state, y: h - 1, inline: message.isEmpty, &buffer)
        return buffer
    }

    /// The status line's left part: strategy, pending switch, user and source.
    private static func statusLeft(_ state: AppState) -> String {
        var strategy = " strategy: \(state.activeStrategy)"
        if let pending = state.pendingStrategy { strategy += " → \(pending) next" }
        if let script = state.script {
            strategy += script.line.map { " │ script: line \($0)/\(script.lineCount)" } ?? " │ script: done"
        }
        return strategy + " │ user \(state.user) \(state.source.rawValue)"
    }

    /// A message that does not fit on the status line after its left part gets lines of its own
    /// just above it, wrapped to the width (CJK counts double), so none of it is cut: as many as
    /// it needs, leaving the tabs, two rows of the screen and the player bar.
    static func messageLines(_ state: AppState) -> [String] {
        guard state.prompt == nil, let message = state.message else { return [] }
        let w = state.size.width
        if DisplayWidth.of(statusLeft(state) + " │ " + message.text) <= w { return [] }
        return DisplayWidth.wrap(message.text, to: w - 2, maxLines: max(1, state.size.height - 5))
    }

    private static func messageStyle(_ state: AppState) -> Style {
        state.message?.isError == true
            ? state.theme.errorBar
            : state.theme.statusBar
    }

    /// Keys other than q do nothing on this screen (`update`), so it says only that.
    private static func drawTooSmall(_ state: AppState, _ buffer: inout ScreenBuffer) {
        let size = "\(state.size.width)×\(state.size.height)", needed = "\(minimumSize.width)×\(minimumSize.height)"
        var lines = ["Terminal too small: \(size)", "botify needs \(needed)", "Enlarge the window (q quits)"]
        if lines.contains(where: { DisplayWidth.of($0) > state.size.width }) || state.size.height < lines.count {
            // Down to 20×6 (and narrower, down to 15 columns) everything still shows.
            lines = ["Too small: \(size)", "needs \(needed)", "(q quits)"]
        }
        let top = max(0, (state.size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (state.size.width - DisplayWidth.of(line)) / 2)
            buffer.write(line, x: x, y: top + i, style: i == 0 ? state.theme.error : .plain)
        }
    }

    /// The tab row: each screen's label (whole when all fit, else numbers and the current one's title).
    static func tabs(_ state: AppState) -> [(screen: Screen, label: String)] {
        let full = Screen.allCases.map { " \($0.number) \($0.title) " }
        let fits = full.reduce(0) { $0 + DisplayWidth.of($1) } <= state.size.width
        return Screen.allCases.map { screen in
            (screen, fits || screen == state.screen ? " \(screen.number) \(screen.title) " : " \(screen.number)")
        }
    }

    /// The tab drawn at column `x` of the top row, for a click.
    static func tab(atColumn x: Int, _ state: AppState) -> Screen? {
        var start = 0
        for (screen, label) in tabs(state) {
            let end = start + DisplayWidth.of(label)
            if x >= start && x < end { return screen }
            start = end
        }
        return nil
    }

    /// The rows of the current screen: below the tabs, above the player bar, the message and the status line.
    static func body(_ state: AppState) -> Rect {
        Rect(x: 0, y: 1, width: state.size.width, height: state.size.height - 3 - messageLines(state).count)
    }

    private static func drawTabs(_ state: AppState, _ buffer: inout ScreenBuffer) {
        var x = 0
        for (screen, label) in tabs(state) {
            x += buffer.write(label, x: x, y: 0, style: screen == state.screen ? state.theme.tabActive : state.theme.dim)
        }
    }

    /// The player bar's row and the columns of its progress bar (for a click).
    static func playerBar(_ state: AppState) -> (y: Int, bar: Range<Int>)? {
        guard let current = state.session?.current else { return nil }
        let w = state.size.width
        let mark = DisplayWidth.of(playerMark(state)), right = DisplayWidth.of(playerRight(state, current))
        let barWidth = max(0, min(20, w / 5))
        let textWidth = max(0, w - mark - right - barWidth - 1)
        let x = mark + textWidth + 1
        return (state.size.height - 2 - messageLines(state).count, x..<(x + barWidth))
    }

    private static func playerMark(_ state: AppState) -> String { state.paused ? " [||] " : " [>] " }

    private static func playerRight(_ state: AppState, _ current: NowPlaying) -> String {
        " \(formatClock(current.position))/\(formatClock(current.duration)) ×\(formatSpeed(state.speed / defaultPlaybackSpeed)) "
    }

    /// Bot mode's skip flash while it lasts (wall-clock time), as it fits in `room` columns
    /// before the track's name: whole, or as " skip 25% " (the latest) when narrow. The flash
    /// comes first; the name gets what is left.
    static func skipCueText(_ state: AppState, room: Int) -> String? {
        guard let cue = state.skipCue, state.now < cue.until else { return nil }
        let whole = " " + cue.text + " "
        if DisplayWidth.of(whole) + 1 <= room { return whole }
        let short = " skip \(Int(((cue.fractions.last ?? 0) * 100).rounded()))% "
        return DisplayWidth.of(short) + 1 <= room ? short : nil
    }

    private static func drawPlayerBar(_ state: AppState, y: Int, _ buffer: inout ScreenBuffer) {
        let w = state.size.width
        guard let current = state.session?.current, let layout = playerBar(state) else {
            buffer.clipped(" [ ] nothing playing: pick a track in the Library, Enter plays it", x: 0, y: y, style: state.theme.dim, width: w)
            return
        }
        var x = buffer.write(playerMark(state), x: 0, y: y, style: state.theme.accent)
        let room = layout.bar.lowerBound - 1 - x
        var cue = 0
        if let text = skipCueText(state, room: room) {
            buffer.write(text, x: x, y: y, style: state.theme.skipCue)
            cue = DisplayWidth.of(text) + 1
            x += cue
        }
        let name = "\(state.catalog.title(current.track)) — \(state.catalog.artistName(current.track))"
        x += buffer.write(DisplayWidth.fit(name, to: max(0, room - cue)), x: x, y: y)
        x += buffer.write(" ", x: x, y: y)
        x += ProgressBar.draw(fraction: current.position / current.duration, width: layout.bar.count, x: x, y: y,
                              style: state.theme.progress, &buffer)
        buffer.write(playerRight(state, current), x: x, y: y)
    }

    private static func drawStatus(_ state: AppState, y: Int, inline: Bool, _ buffer: inout ScreenBuffer) {
        buffer.fill(row: y, style: state.theme.statusBar)
        if let prompt = state.prompt {
            let sigil: String
            switch prompt {
            case .search: sigil = "/"
            case .command: sigil = ":"
            }
            let line = prompt.line
            // Too long for the row: shown from where the cursor stays in view.
            var before = sigil + line.beforeCursor
            while DisplayWidth.of(before) > state.size.width - 2 { before.removeFirst() }
            let x = buffer.write(before, x: 0, y: y, style: state.theme.statusBar)
            buffer.clipped(String(line.text.dropFirst(line.cursor)), x: x, y: y, width: state.size.width - x, style: state.theme.statusBar)
            buffer.cursor = Position(x: min(x, state.size.width - 1), y: y)
            return
        }
        var left = statusLeft(state)
        if let message = state.message, inline {
            left += " │ "
            let x = buffer.clipped(left, x: 0, y: y, style: state.theme.statusBold,
                                   width: state.size.width)
            buffer.clipped(message.text, x: x, y: y, width: state.size.width - x, style: messageStyle(state))
        } else {
            left += " │ ? help"
            buffer.clipped(left, x: 0, y: y, style: state.theme.statusBold,
                           width: state.size.width)
        }
    }
}

struct Rect {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
}

enum ProgressBar {
    /// Returns the columns drawn.
    @discardableResult
    static func draw(fraction: Double, width: Int, x: Int, y: Int, style: Style, _ buffer: inout ScreenBuffer) -> Int {
        guard width > 0 else { return 0 }
        let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
        buffer.write(String(repeating: "█", count: filled), x: x, y: y, style: style)
        buffer.write(String(repeating: "░", count: width - filled), x: x + filled, y: y, style: Style(dim: true))
        return width
    }
}

/// First row to show so that `cursor` is visible in `rows` lines.
func scrollTop(cursor: Int, count: Int, rows: Int) -> Int {
    guard rows > 0, count > rows else { return 0 }
    return min(max(0, cursor - rows + 1), count - rows)
}

/// "2026-11-23 09:41" in UTC, without Foundation's formatters (fast and the same everywhere).
public func formatDate(_ seconds: Double) -> String {
    let s = Int(seconds.rounded(.down))
    let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
    let secs = s - days * 86_400
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60))"
}

extension ScreenBuffer {
    /// Writes `text` cut to `width` columns with "…" when it does not fit; returns columns used.
    @discardableResult
    mutating func clipped(_ text: String, x: Int, y: Int, style: Style = .plain, width: Int) -> Int {
        write(DisplayWidth.truncate(text, to: max(0, min(width, self.width - x))), x: x, y: y, style: style)
    }

    @discardableResult
    mutating func clipped(_ text: String, x: Int, y: Int, width: Int, style: Style) -> Int {
        clipped(text, x: x, y: y, style: style, width: width)
    }
}

extension AppState {
    /// Below `AppView.minimumSize` the player shows only "Terminal too small" and ignores every
    /// key but q.
    public var isTooSmall: Bool {
        size.width < AppView.minimumSize.width || size.height < AppView.minimumSize.height
    }
}
