import Core
import Terminal

/// Screen 5: every session, newest first, paged in as the cursor moves ("position / total" in
/// the header), and the plays of the selected one with who picked each and how it ended.
enum HistoryView {
    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        guard !state.history.isEmpty else {
            buffer.write(" no sessions recorded yet", x: 0, y: rect.y, style: state.theme.dim)
            return
        }
        let listRows = max(2, (rect.height - 1) / 2)
        buffer.write(" " + DisplayWidth.fit("Session", to: 7) + " " + DisplayWidth.fit("Started (UTC)", to: 16) + " "
                     + DisplayWidth.fit("Strategy", to: 13) + " Src   Plays Length", x: 0, y: rect.y, style: state.theme.header)
        let total = max(state.historyTotal, state.history.count)
        let more = state.historyLoading ? " loading…" : ""
        let position = " \(grouped(state.historyCursor + 1)) / \(grouped(total))\(more) "
        let positionWidth = DisplayWidth.of(position)
        if positionWidth < rect.width {
            buffer.write(position, x: rect.x + rect.width - positionWidth, y: rect.y, style: state.theme.header)
        }
        let top = scrollTop(cursor: state.historyCursor, count: state.history.count, rows: listRows - 1)
        for (row, i) in (top..<min(state.history.count, top + listRows - 1)).enumerated() {
            let s = state.history[i]
            let y = rect.y + 1 + row
            let selected = i == state.historyCursor
            if selected { buffer.fill(row: y, style: state.theme.selected) }
            let text = " " + DisplayWidth.fit("#\(s.id)", to: 7) + " " + formatDate(s.startedAt) + " "
                + DisplayWidth.fit(s.strategy, to: 13) + " " + DisplayWidth.fit(s.source.rawValue, to: 5) + " "
                + DisplayWidth.fit(String(s.plays.count), to: 5, alignRight: true) + " " + DisplayWidth.fit(format2(s.length), to: 6, alignRight: true)
            buffer.write(text, x: 0, y: y, style: selected ? state.theme.selected : .plain)
        }
        guard state.history.indices.contains(state.historyCursor) else { return }
        let session = state.history[state.historyCursor]
        var y = rect.y + listRows
        buffer.write(" plays of #\(session.id):", x: 0, y: y, style: state.theme.accent)
        y += 1
        for play in session.plays.prefix(rect.y + rect.height - y) {
            drawPlay(play, state, y: y, width: rect.width, &buffer)
            y += 1
        }
    }

    /// One play: position, (from 60 columns) a bar of the fraction heard, the fraction, the
    /// outcome, who picked it ("you": the listener's own pick) and the track.
    static func drawPlay(_ play: Play, _ state: AppState, y: Int, width: Int, _ buffer: inout ScreenBuffer) {
        let style = state.theme.outcome(play.outcome)
        let fraction = Double(play.fraction)
        var x = buffer.write(DisplayWidth.fit(String(play.position), to: 3, alignRight: true) + " ", x: 1, y: y) + 1
        if width >= 60 {
            x += ProgressBar.draw(fraction: fraction, width: 10, x: x, y: y, style: style, &buffer)
            x += buffer.write(" ", x: x, y: y)
        }
        x += buffer.write("\(format2(fraction)) ", x: x, y: y)
        x += buffer.write(DisplayWidth.fit(play.outcome.rawValue, to: 9), x: x, y: y, style: style)
        x += buffer.write(" " + DisplayWidth.fit(play.recommendedBy ?? "you", to: width >= 60 ? 13 : 9), x: x, y: y)
        let heart = play.liked ? " ♥" : ""
        buffer.clipped(" \(state.catalog.title(play.track))\(heart) — \(state.catalog.artistName(play.track))", x: x, y: y, width: width - x)
    }

    /// 4005 → "4,005", independent of the locale.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 && c != "-" && out != "-" { out.append(",") }
            out.append(c)
        }
        return out
    }
}
