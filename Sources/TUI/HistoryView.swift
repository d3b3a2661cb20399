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
        let layout = Layout(state, rect)
        let listRows = layout.listRows
        buffer.write(" " + DisplayWidth.fit("Session", to: 7) + " " + DisplayWidth.fit("Started (UTC)", to: 16) + " "
                     + DisplayWidth.fit("Strategy", to: 13) + " Src   Plays Length", x: 0, y: rect.y, style: state.theme.header)
        let total = max(state.historyTotal, state.history.count)
        let more = state.historyLoading ? " loading…" : ""
        let position = " \(grouped(state.historyCursor + 1)) / \(grouped(total))\(more) "
        let positionWidth = DisplayWidth.of(position)
        if positionWidth < rect.width {
            buffer.write(position, x: rect.x + rect.width - positionWidth, y: rect.y, style: state.theme.header)
        }
        let top = layout.top
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
        let hint = state.historyPlayCursor == nil ? (rect.width >= 60 ? "  (Tab: its plays, each one's reason)" : "") : "  (Tab: back)"
        buffer.clipped(" plays of #\(session.id):" + hint, x: 0, y: layout.playsY - 1, style: state.theme.accent, width: rect.width)
        var y = layout.playsY
        let why = layout.why
        let firstPlay = layout.firstPlay
        for i in firstPlay..<min(session.plays.count, firstPlay + layout.playRows) {
            let selected = i == state.historyPlayCursor
            if selected { buffer.fill(row: y, style: state.theme.selected) }
            // Sessions with no stored reason (headless, older) keep the room for the track.
            let reason: String?? = session.reasons.isEmpty ? nil : .some(session.reasons[session.plays[i].position])
            drawPlay(session.plays[i], reason: reason, state, y: y, width: rect.width, selected: selected, &buffer)
            y += 1
        }
        for (i, line) in why.enumerated() {
            buffer.write(line, x: 1, y: rect.y + rect.height - why.count + i, style: state.theme.accent)
        }
    }

    /// Where the list, the selected session's plays and the selected play's reason go: shared
    /// by `draw` and by `target(atLine:)`, so a click lands on the row that was drawn there.
    struct Layout {
        /// Lines of the session list, its header included.
        var listRows: Int
        /// The first session shown.
        var top: Int
        /// The first line of the plays, the first play shown there and how many fit.
        var playsY: Int
        var firstPlay = 0
        var playRows = 0
        /// The selected play's reason in full, wrapped, on the rows under its plays.
        var why: [String] = []

        init(_ state: AppState, _ rect: Rect) {
            listRows = max(2, (rect.height - 1) / 2)
            top = scrollTop(cursor: state.historyCursor, count: state.history.count, rows: listRows - 1)
            playsY = rect.y + listRows + 1
            guard state.history.indices.contains(state.historyCursor) else { return }
            let session = state.history[state.historyCursor]
            if let cursor = state.historyPlayCursor, session.plays.indices.contains(cursor) {
                let play = session.plays[cursor]
                let text = "why #\(play.position): " + (session.reasons[play.position] ?? "not recorded (headless, or before reasons were stored)")
                why = DisplayWidth.wrap(text, to: rect.width - 2, maxLines: max(1, min(3, rect.y + rect.height - playsY - 1)))
            }
            playRows = max(0, rect.y + rect.height - playsY - why.count)
            firstPlay = scrollTop(cursor: state.historyPlayCursor ?? 0, count: session.plays.count, rows: playRows)
        }
    }

    /// What a click at screen line `y` lands on.
    enum ClickTarget: Equatable {
        /// A session of the list, by index into `state.history`.
        case session(Int)
        /// A play of the selected session, by index into its plays.
        case play(Int)
    }

    static func target(atLine y: Int, _ state: AppState) -> ClickTarget? {
        let rect = AppView.body(state)
        guard !state.history.isEmpty, y < rect.y + rect.height else { return nil }
        let layout = Layout(state, rect)
        if y > rect.y && y < rect.y + layout.listRows {
            let i = layout.top + y - (rect.y + 1)
            return state.history.indices.contains(i) ? .session(i) : nil
        }
        guard state.history.indices.contains(state.historyCursor), y >= layout.playsY, y < layout.playsY + layout.playRows
        else { return nil }
        let i = layout.firstPlay + y - layout.playsY
        return state.history[state.historyCursor].plays.indices.contains(i) ? .play(i) : nil
    }

    /// One play: position, (from 60 columns) a bar of the fraction heard, the fraction, the
    /// outcome, who picked it ("you": the listener's own pick), (from 60 columns, when `reason`
    /// is given) why, cut to fit ("-": not recorded), and the track.
    static func drawPlay(_ play: Play, reason: String??, _ state: AppState, y: Int, width: Int, selected: Bool = false,
                         _ buffer: inout ScreenBuffer) {
        let style = selected ? state.theme.selected : state.theme.outcome(play.outcome)
        let plain: Style = selected ? state.theme.selected : .plain
        let fraction = Double(play.fraction)
        var x = buffer.write(DisplayWidth.fit(String(play.position), to: 3, alignRight: true) + " ", x: 1, y: y, style: plain) + 1
        if width >= 60 {
            x += ProgressBar.draw(fraction: fraction, width: 10, x: x, y: y, style: style, &buffer)
            x += buffer.write(" ", x: x, y: y, style: plain)
        }
        x += buffer.write("\(format2(fraction)) ", x: x, y: y, style: plain)
        x += buffer.write(DisplayWidth.fit(play.outcome.rawValue, to: 9), x: x, y: y, style: style)
        x += buffer.write(" " + DisplayWidth.fit(play.recommendedBy ?? "you", to: width >= 60 ? 13 : 9), x: x, y: y, style: plain)
        if width >= 60, let reason {
            x += buffer.write(" " + DisplayWidth.fit(reason ?? "-", to: (width - x) * 2 / 5), x: x, y: y, style: selected ? plain : state.theme.dim)
        }
        let heart = play.liked ? " ♥" : ""
        buffer.clipped(" \(state.catalog.title(play.track))\(heart) — \(state.catalog.artistName(play.track))", x: x, y: y,
                       style: plain, width: width - x)
    }
}
