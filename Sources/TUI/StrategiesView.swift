import Terminal

/// Screen 3: every strategy, its description and model status. Enter switches (from the next
/// track); r retrains in the background with progress. Under the list, a staged strategy's
/// (the ranker's) time per stage over its recent picks: the one under the cursor, else the one
/// in charge.
enum StrategiesView {
    /// Each strategy takes two lines: its name and status, then its description.
    static let linesPerEntry = 2

    /// How many entries fit under the hint line (and above the stage times), and the first one shown.
    static func window(_ state: AppState, _ rect: Rect) -> (visible: Int, top: Int) {
        let panel = stagesShown(state, rect) == nil ? 0 : StageTimingsView.height
        let visible = max(1, (rect.height - 1 - panel) / linesPerEntry)
        return (visible, scrollTop(cursor: state.strategyCursor, count: state.strategies.strategies.count, rows: visible))
    }

    /// The strategy drawn at screen line `y` (either of its two lines), for a click.
    static func row(atLine y: Int, _ state: AppState) -> Int? {
        let rect = AppView.body(state)
        guard y > rect.y, y < rect.y + rect.height else { return nil }
        let (visible, top) = window(state, rect)
        let entry = (y - rect.y - 1) / linesPerEntry
        let i = top + entry
        return entry < visible && state.strategies.strategies.indices.contains(i) ? i : nil
    }

    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let list = state.strategies.strategies
        buffer.write(" Enter: switch (from the next track) · r: retrain", x: 0, y: rect.y, style: state.theme.dim)
        let (visible, top) = window(state, rect)
        for (row, i) in (top..<min(list.count, top + visible)).enumerated() {
            let info = list[i]
            let y = rect.y + 1 + row * linesPerEntry
            let selected = i == state.strategyCursor
            let style = selected ? state.theme.selected : .plain
            if selected { buffer.fill(row: y, style: style) }
            var mark = "  "
            if info.name == state.activeStrategy { mark = "● " }
            if info.name == state.pendingStrategy { mark = "→ " }
            var x = buffer.write(" " + mark, x: 0, y: y, style: selected ? style : state.theme.accent)
            x += buffer.write(DisplayWidth.fit(info.name, to: 14), x: x, y: y, style: Style(bold: true, reverse: selected))
            x += 1
            if let progress = state.retraining[info.name] {
                x += buffer.write("retraining \(Int(progress * 100))% ", x: x, y: y, style: style)
                ProgressBar.draw(fraction: progress, width: max(0, min(20, rect.width - x - 1)), x: x, y: y, style: state.theme.progress, &buffer)
            } else if state.preparing.contains(info.name) {
                buffer.write("preparing (building its index)…", x: x, y: y, style: style)
            } else {
                let status = info.name == state.activeStrategy ? "active · " : info.name == state.pendingStrategy ? "next · " : ""
                buffer.write(status + (state.modelStatus[info.name] ?? ""), x: x, y: y, style: style)
            }
            buffer.clipped(info.summary, x: 6, y: y + 1, style: state.theme.dim, width: rect.width - 6)
        }
        if let (name, timings) = stagesShown(state, rect) {
            StageTimingsView.draw(name, timings, x: 0, y: rect.y + rect.height - StageTimingsView.height, width: rect.width,
                                  theme: state.theme, &buffer)
        }
    }

    /// The stage times to show: the strategy under the cursor's, else the active one's; none
    /// when the screen is too short to keep a strategy above them.
    static func stagesShown(_ state: AppState, _ rect: Rect) -> (String, StageTimings)? {
        guard rect.height >= 1 + linesPerEntry + StageTimingsView.height else { return nil }
        let list = state.strategies.strategies
        let cursor = list.indices.contains(state.strategyCursor) ? list[state.strategyCursor].name : nil
        for name in [cursor, state.activeStrategy].compactMap({ $0 }) {
            if let t = state.stageTimings[name], !t.picks.isEmpty { return (name, t) }
        }
        return nil
    }
}
