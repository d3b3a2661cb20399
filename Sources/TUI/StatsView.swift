import Terminal

/// Screen 4: sessions outside experiments, one row per strategy and source, best first: users,
/// sessions, mean session length with its 95% CI (over users), skip rate, mean fraction heard
/// per recommendation, and the uplift against the baseline (observational: nobody was
/// randomised). Then the selected row's histogram and the stored experiments' comparisons.
/// S cycles the source; Enter makes the selected strategy the baseline.
enum StatsView {
    /// Column layouts from widest to narrowest: each keeps what matters most at its width.
    enum Layout {
        case full, medium, narrow
        init(width: Int) { self = width >= 100 ? .full : width >= 64 ? .medium : .narrow }
    }

    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        if state.statsView == .longTerm { return LongTermView.draw(state, in: rect, &buffer) }
        var y = rect.y
        let bottom = rect.y + rect.height
        buffer.clipped(title(state, width: rect.width), x: 0, y: y, style: state.theme.accent, width: rect.width)
        y += 1
        guard let stats = state.stats else {
            buffer.write(" loading…", x: 0, y: y, style: state.theme.dim)
            return
        }
        let layout = Layout(width: rect.width)
        if !stats.strategies.isEmpty {
            buffer.clipped(" " + header(layout, baseline: stats.baseline, sourceWidth: sourceWidth(stats)), x: 0, y: y,
                           style: state.theme.header, width: rect.width)
            y += 1
        } else {
            buffer.write(" no sessions outside experiments for this source", x: 0, y: y, style: state.theme.dim)
            y += 1
        }
        let footer = (stats.mixedSessions > 0 ? 1 : 0)
        let tableRows = max(0, min(stats.strategies.count, (bottom - y - footer) / 2))
        let top = scrollTop(cursor: state.statsCursor, count: stats.strategies.count, rows: max(1, tableRows))
        for i in top..<min(stats.strategies.count, top + tableRows) {
            let selected = i == state.statsCursor
            if selected { buffer.fill(row: y, style: state.theme.selected) }
            buffer.clipped(" " + row(stats.strategies[i], layout, baseline: stats.baseline, sourceWidth: sourceWidth(stats)), x: 0, y: y,
                           style: selected ? state.theme.selected : .plain, width: rect.width)
            y += 1
        }
        if stats.mixedSessions > 0, y < bottom {
            buffer.clipped(" \(stats.mixedSessions) mixed session\(stats.mixedSessions == 1 ? "" : "s") (strategy switched): out of Mean, in Heard", x: 0, y: y, style: state.theme.dim, width: rect.width)
            y += 1
        }
        let abRows = min(stats.abResults.count, 3)
        let histRows = bottom - y - 1 - (abRows > 0 ? abRows + 1 : 0)
        if histRows >= 4, stats.strategies.indices.contains(state.statsCursor) {
            y += drawHistogram(stats.strategies[state.statsCursor], bucket: stats.histogramBucket, state, x: 1, y: y,
                               width: rect.width - 2, rows: histRows, &buffer)
        }
        guard abRows > 0, y < bottom else { return }
        buffer.clipped(" Experiments (randomised by user; uplift, 95% CI, Holm-adjusted p)", x: 0, y: y,
                       style: state.theme.header, width: rect.width)
        y += 1
        for r in stats.abResults.prefix(abRows) where y < bottom {
            let text = "\(r.experiment): \(r.treatment) vs \(r.control) \(upliftText(r.uplift))"
                + (r.sampleRatioMismatch ? "  SAMPLE RATIO MISMATCH" : "")
            buffer.clipped(text, x: 1, y: y, style: r.sampleRatioMismatch ? state.theme.error : .plain, width: rect.width - 2)
            y += 1
        }
    }

    /// The key hints and what the table holds, as much as fits: "source: all (S: all/human/bot/
    /// sim/remote) · L: long term · outside experiments, unit: user".
    static func title(_ state: AppState, width: Int) -> String {
        let source = state.statsSource?.rawValue ?? "all"
        let full = " source: \(source) (S: all/human/bot/sim/remote) · L: long term · outside experiments"
        if DisplayWidth.of(full + ", unit: user") <= width { return full + ", unit: user" }
        if DisplayWidth.of(full) <= width { return full }
        return " source: \(source) (S: cycle) · L: long term"
    }

    /// The Src column fits its longest source ("remote" is one wider than the rest).
    static func sourceWidth(_ stats: StatsSnapshot) -> Int {
        max(5, stats.strategies.map { $0.source.rawValue.count }.max() ?? 0)
    }

    static func header(_ layout: Layout, baseline: String?, sourceWidth: Int = 5) -> String {
        switch layout {
        case .full:
            return cell("Strategy", 16) + " " + cell("Src", sourceWidth) + " " + cell("Users", 6, right: true) + " "
                + cell("Sess", 6, right: true) + " " + cell("Mean [95% CI]", 20) + " " + cell("Skip", 4, right: true) + " "
                + cell("Heard", 5, right: true) + "  " + (baseline.map { "vs \($0) (observational)" } ?? "")
        case .medium:
            return cell("Strategy", 14) + " " + cell("Src", sourceWidth) + " " + cell("Sess", 6, right: true) + " "
                + cell("Mean [95% CI]", 20) + " " + cell("Skip", 4, right: true) + " " + cell("Heard", 5, right: true)
        case .narrow:
            return cell("Strategy", 10) + " " + cell("Sess", 5, right: true) + " " + cell("Mean±CI", 11) + " Skip"
        }
    }

    static func row(_ s: StrategyStats, _ layout: Layout, baseline: String?, sourceWidth: Int = 5) -> String {
        let ci = "[\(number(s.ciLow)), \(number(s.ciHigh))]"
        let mean = number(s.meanLength) + " " + ci
        let skip = cell(s.skipRate.isFinite ? "\(Int((s.skipRate * 100).rounded()))%" : "-", 4, right: true)
        let heard = cell(s.heardPerRecommendation.isFinite ? format2(s.heardPerRecommendation) : "-", 5, right: true)
        switch layout {
        case .full:
            let versus = s.strategy == baseline ? "baseline"
                : s.vsBaseline.flatMap { $0.relative.isFinite ? upliftText($0) : nil } ?? ""
            return cell(s.strategy, 16) + " " + cell(s.source.rawValue, sourceWidth) + " " + cell(String(s.users), 6, right: true) + " "
                + cell(String(s.sessions), 6, right: true) + " " + cell(mean, 20) + " " + skip + " " + heard + "  " + versus
        case .medium:
            return cell(s.strategy, 14) + " " + cell(s.source.rawValue, sourceWidth) + " " + cell(String(s.sessions), 6, right: true) + " "
                + cell(mean, 20) + " " + skip + " " + heard
        case .narrow:
            let half = (s.ciHigh - s.ciLow) / 2
            let compact = s.meanLength.isFinite ? number(s.meanLength) + (half.isFinite ? "±" + format2(half) : "±-") : "-"
            return cell(s.strategy, 10) + " " + cell(String(s.sessions), 5, right: true) + " " + cell(compact, 11) + " " + skip
        }
    }

    /// "+29.2% [+20.1, +38.3] p=0.001" (relative figures are fractions in the snapshot).
    static func upliftText(_ u: Uplift) -> String {
        "\(signedPercent(u.relative)) [\(signed(u.low * 100)), \(signed(u.high * 100))] p\(formatP(u.adjustedPValue))"
    }

    static func cell(_ text: String, _ width: Int, right: Bool = false) -> String {
        DisplayWidth.fit(text, to: width, alignRight: right)
    }

    static func number(_ x: Double) -> String { x.isFinite ? format2(x) : "-" }
    static func signed(_ x: Double) -> String { x.isFinite ? (x >= 0 ? "+" : "") + format1(x) : "-" }
    static func signedPercent(_ x: Double) -> String { x.isFinite ? signed(x * 100) + "%" : "-" }

    /// Draws up to `rows` lines (title + bars), merging buckets to fit; returns lines used.
    /// The last bucket holds every longer session, so its label says "≥".
    static func drawHistogram(_ s: StrategyStats, bucket: Double, _ state: AppState, x: Int, y: Int, width: Int, rows: Int,
                              _ buffer: inout ScreenBuffer) -> Int {
        var counts = s.histogram
        var size = bucket
        while counts.count > rows - 1 && counts.count > 1 {
            counts = stride(from: 0, to: counts.count, by: 2).map { counts[$0] + (($0 + 1) < counts.count ? counts[$0 + 1] : 0) }
            size *= 2
        }
        buffer.write("session lengths, \(s.strategy) (\(s.source.rawValue)):", x: x, y: y, style: state.theme.header)
        let peak = max(1, counts.max() ?? 1)
        let barMax = max(1, width - 14)
        for (i, c) in counts.enumerated() {
            let start = format1(Double(i) * size)
            let label = DisplayWidth.fit(i == counts.count - 1 ? "≥" + start : start, to: 5, alignRight: true) + " "
            let bar = String(repeating: "█", count: c == 0 ? 0 : max(1, c * barMax / peak))
            let lx = x + buffer.write(label, x: x, y: y + 1 + i, style: state.theme.dim)
            let bx = lx + buffer.write(bar, x: lx, y: y + 1 + i, style: state.theme.progress)
            buffer.write(" \(c)", x: bx, y: y + 1 + i)
        }
        return counts.count + 1
    }

    static func formatP(_ p: Double) -> String {
        guard p.isFinite else { return "=-" }
        return p < 0.001 ? "<0.001" : "=" + fixed(p, 3)
    }
}
