import Core
import Terminal

/// Screen 5: past sessions, newest first, and the plays of the selected one.
enum HistoryView {
    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        guard !state.history.isEmpty else {
            buffer.write(" no sessions recorded yet", x: 0, y: rect.y, style: state.theme.dim)
            return
        }
        let listRows = max(2, (rect.height - 1) / 2)
        buffer.write(" " + DisplayWidth.fit("Session", to: 7) + " " + DisplayWidth.fit("Started (UTC)", to: 16) + " "
                     + DisplayWidth.fit("Strategy", to: 13) + " Src   Plays Length", x: 0, y: rect.y, style: state.theme.header)
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
            let e = NowPlayingView.Entry(position: Int(play.position), track: play.track, fraction: Double(play.fraction),
                                         label: play.outcome.rawValue, outcome: play.outcome, liked: play.liked)
            NowPlayingView.drawTimelineRow(e, state, y: y, width: rect.width, &buffer)
            y += 1
        }
    }
}
