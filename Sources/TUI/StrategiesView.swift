import Terminal

/// Screen 3: every strategy, its description and model status. Enter switches (from the next
/// track); r retrains in the background with progress.
enum StrategiesView {
    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let list = state.strategies.strategies
        buffer.write(" Enter: switch (from the next track) · r: retrain", x: 0, y: rect.y, style: state.theme.dim)
        let perEntry = 2
        let visible = max(1, (rect.height - 1) / perEntry)
        let top = scrollTop(cursor: state.strategyCursor, count: list.count, rows: visible)
        for (row, i) in (top..<min(list.count, top + visible)).enumerated() {
            let info = list[i]
            let y = rect.y + 1 + row * perEntry
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
    }
}
