import Terminal

/// Screen 4: per strategy, sessions, mean session length ± 95% CI, skip rate and a histogram of
/// the selected strategy's session lengths; then stored A/B results. S cycles the source.
enum StatsView {
    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        var y = rect.y
        let bottom = rect.y + rect.height
        let source = state.statsSource?.rawValue ?? "all"
        buffer.write(" source: \(source) (S cycles all/human/bot/sim)", x: 0, y: y, style: state.theme.accent)
        y += 1
        guard let stats = state.stats else {
            buffer.write(" loading…", x: 0, y: y, style: state.theme.dim)
            return
        }
        guard !stats.strategies.isEmpty else {
            buffer.write(" no sessions recorded yet for this source", x: 0, y: y, style: state.theme.dim)
            return
        }
        let wide = rect.width >= 60
        let nameWidth = wide ? 14 : 10
        let header = DisplayWidth.fit("Strategy", to: nameWidth) + " " + DisplayWidth.fit("Sess", to: 5, alignRight: true)
            + " " + (wide ? DisplayWidth.fit("Mean ± 95% CI", to: 26) : DisplayWidth.fit("Mean±CI", to: 12)) + " Skip"
        buffer.write(" " + header, x: 0, y: y, style: state.theme.header)
        y += 1
        let tableRows = max(1, min(stats.strategies.count, (bottom - y) / 2))
        let top = scrollTop(cursor: state.statsCursor, count: stats.strategies.count, rows: tableRows)
        for i in top..<min(stats.strategies.count, top + tableRows) {
            let s = stats.strategies[i]
            let half = (s.ciHigh - s.ciLow) / 2
            let ci = wide ? "\(format2(s.meanLength)) ± \(format2(half)) [\(format2(s.ciLow)), \(format2(s.ciHigh))]"
                          : "\(format2(s.meanLength))±\(format2(half))"
            let text = DisplayWidth.fit(s.strategy, to: nameWidth) + " " + DisplayWidth.fit(String(s.sessions), to: 5, alignRight: true)
                + " " + DisplayWidth.fit(ci, to: wide ? 26 : 12) + " " + DisplayWidth.fit("\(Int((s.skipRate * 100).rounded()))%", to: 4, alignRight: true)
            let selected = i == state.statsCursor
            if selected { buffer.fill(row: y, style: state.theme.selected) }
            buffer.write(" " + text, x: 0, y: y, style: selected ? state.theme.selected : .plain)
            y += 1
        }
        let abRows = min(stats.abResults.count, 3)
        let histRows = bottom - y - 1 - (abRows > 0 ? abRows + 1 : 0)
        if histRows >= 4, stats.strategies.indices.contains(state.statsCursor) {
            y += drawHistogram(stats.strategies[state.statsCursor], bucket: stats.histogramBucket, state, x: 1, y: y,
                               width: rect.width - 2, rows: histRows, &buffer)
        }
        guard abRows > 0, y < bottom else { return }
        buffer.write(" A/B (treatment vs control)", x: 0, y: y, style: state.theme.header)
        y += 1
        for r in stats.abResults.prefix(abRows) where y < bottom {
            let sign = r.relativeUplift >= 0 ? "+" : ""
            let text = "\(r.experiment): \(r.treatment) vs \(r.control) \(sign)\(format1(r.relativeUplift * 100))%"
                + " [\(format1(r.upliftLow * 100)), \(format1(r.upliftHigh * 100))] p\(formatP(r.pValue))"
            buffer.clipped(text, x: 1, y: y, width: rect.width - 2)
            y += 1
        }
    }

    /// Draws up to `rows` lines (title + bars), merging buckets to fit; returns lines used.
    static func drawHistogram(_ s: StrategyStats, bucket: Double, _ state: AppState, x: Int, y: Int, width: Int, rows: Int,
                              _ buffer: inout ScreenBuffer) -> Int {
        var counts = s.histogram
        var size = bucket
        while counts.count > rows - 1 && counts.count > 1 {
            counts = stride(from: 0, to: counts.count, by: 2).map { counts[$0] + (($0 + 1) < counts.count ? counts[$0 + 1] : 0) }
            size *= 2
        }
        buffer.write("session lengths, \(s.strategy):", x: x, y: y, style: state.theme.header)
        let peak = max(1, counts.max() ?? 1)
        let barMax = max(1, width - 14)
        for (i, c) in counts.enumerated() {
            let label = DisplayWidth.fit(format1(Double(i) * size), to: 5, alignRight: true) + " "
            let bar = String(repeating: "█", count: c == 0 ? 0 : max(1, c * barMax / peak))
            let lx = x + buffer.write(label, x: x, y: y + 1 + i, style: state.theme.dim)
            let bx = lx + buffer.write(bar, x: lx, y: y + 1 + i, style: state.theme.progress)
            buffer.write(" \(c)", x: bx, y: y + 1 + i)
        }
        return counts.count + 1
    }

    static func formatP(_ p: Double) -> String { p < 0.001 ? "<0.001" : "=" + fixed(p, 3) }
}
