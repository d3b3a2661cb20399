import Core
import Terminal

/// The Stats screen's long-term view (`L`): one stored multi-day run at a time, newest first
/// (j/k pick another) — per-arm sparklines of retention and of catalog coverage over the days on
/// labelled scales, and the long-term metric per arm with its user-level interval. When the
/// terminal is short, sections go from the least needed up (the run's details, the day axes,
/// the long-term metric), so the two charts stay on screen the longest.
enum LongTermView {
    struct Line {
        var text: String
        var style: Style
        /// A chart row's sparkline and its column, drawn again in the chart colour.
        var spark: (x: Int, text: String)?
    }

    /// A block of lines shown whole or not at all; lower `priority` is kept first.
    struct Section {
        var priority: Int
        var lines: [Line]
    }

    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        for (row, line) in lines(state, width: rect.width, height: rect.height).enumerated() {
            let y = rect.y + row
            let x = buffer.clipped(line.text, x: 0, y: y, style: line.style, width: rect.width)
            if let spark = line.spark, spark.x + DisplayWidth.of(spark.text) <= x {
                buffer.write(spark.text, x: spark.x, y: y, style: state.theme.progress)
            }
        }
    }

    /// The view's lines for a body of `width` × `height`, at most `height` of them.
    static func lines(_ state: AppState, width: Int, height: Int) -> [Line] {
        guard height > 0 else { return [] }
        let theme = state.theme
        guard let snapshot = state.longTerm else {
            return Array([Line(text: " Long term · L: sessions", style: theme.accent),
                          Line(text: " loading…", style: theme.dim)].prefix(height))
        }
        guard let run = snapshot.selected, !snapshot.runs.isEmpty else {
            return Array(emptyState(theme).prefix(height))
        }
        let wide = width >= 64
        let position = "\(state.longTermCursor + 1) of \(snapshot.runs.count)"
        let header = wide ? " Long term · run \(position), newest first (j/k: another) · L: sessions"
            : " Long term \(state.longTermCursor + 1)/\(snapshot.runs.count) · j/k · L: sessions"
        var sections = [Section(priority: 0, lines: [Line(text: header, style: theme.accent)])]
        sections.append(Section(priority: 3, lines: [Line(text: identity(run, width: width), style: .plain)]))
        sections.append(Section(priority: 6, lines: [Line(text: " " + details(run), style: theme.dim)]))
        let arms = run.arms
        let nameWidth = max(3, min(arms.map { DisplayWidth.of($0) }.max() ?? 3, wide ? 12 : 8))
        let charts: [(title: String, short: String, value: (LongTermDay) -> Double, top: Double)] = [
            ("Retention: share of each arm's assigned users who came (0–100%), days 1–\(run.days)",
             "retention (0–100%), days 1–\(run.days)", { $0.retention }, 1),
            ("Coverage: share of the catalog recommended (0–\(percentLabel(scaleTop(run, \.coverageRecommended)))), days 1–\(run.days)",
             "coverage (0–\(percentLabel(scaleTop(run, \.coverageRecommended)))), days 1–\(run.days)",
             { $0.coverageRecommended }, scaleTop(run, \.coverageRecommended)),
        ]
        for chart in charts {
            let title = wide ? chart.title : chart.short
            var lines = [Line(text: " " + title, style: theme.header)]
            let valuesWidth = wide ? 11 : 5
            let sparkWidth = max(1, width - 3 - nameWidth - 1 - 1 - valuesWidth - 1)
            let columns = columnsFor(days: run.days, width: sparkWidth)
            for arm in arms {
                let byDay = Dictionary(run.series(of: arm).map { ($0.day, chart.value($0)) }, uniquingKeysWith: { a, _ in a })
                let values = columns.map { span in mean(span.compactMap { byDay[$0] }) }
                let spark = sparkline(values, top: chart.top)
                let first = byDay[1] ?? .nan, last = byDay[run.days] ?? .nan
                let shown = wide ? percent(first) + "→" + percent(last) : percent(last)
                let prefix = "   " + DisplayWidth.fit(arm, to: nameWidth) + " "
                lines.append(Line(text: prefix + spark + " " + DisplayWidth.fit(shown, to: valuesWidth, alignRight: true),
                                  style: .plain, spark: (DisplayWidth.of(prefix), spark)))
            }
            sections.append(Section(priority: 1, lines: lines))
            sections.append(Section(priority: 4, lines: [Line(text: axis(days: run.days, columns: columns,
                                                                          indent: 3 + nameWidth + 1), style: theme.dim)]))
        }
        sections.append(Section(priority: 2, lines: metricLines(run, wide: wide, nameWidth: nameWidth, theme)))
        return fit(sections, height: height)
    }

    /// Sections by priority while they fit, shown in their own order; if not even the first
    /// chart fits whole, as much of it as there is room for.
    static func fit(_ sections: [Section], height: Int) -> [Line] {
        var kept = Set<Int>()
        var used = 0
        for (i, section) in sections.enumerated().sorted(by: { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) })
            where used + section.lines.count <= height {
            kept.insert(i)
            used += section.lines.count
        }
        var out = sections.enumerated().filter { kept.contains($0.offset) }.flatMap { $0.element.lines }
        if let firstChart = sections.firstIndex(where: { $0.priority == 1 }), !kept.contains(firstChart) {
            out += sections[firstChart].lines.prefix(height - out.count)
        }
        return Array(out.prefix(height))
    }

    static func emptyState(_ theme: Theme) -> [Line] {
        [Line(text: " Long term · L: sessions", style: theme.accent),
         Line(text: " No long-term runs stored yet. A run of two or more days stores one:", style: .plain),
         Line(text: "   botify ab --experiment LT --arms top-pop,i2i --days 14 --returning --retrain", style: .plain),
         Line(text: "   botify simulate --strategy i2i --days 7 --returning", style: .plain),
         Line(text: " (not with --no-log; docs/LONG-TERM.md explains the figures)", style: theme.dim)]
    }

    /// "experiment LONG-TERM · 30 days · 10000 users × 1 session · seed 8 · stored 2026-12-04 23:10",
    /// the date only where it fits.
    static func identity(_ run: LongTermRun, width: Int) -> String {
        let what = run.experiment.map { "experiment \($0)" } ?? "simulate \(run.arms.first ?? "")"
        let sessions = run.traffic == "course"
            ? "\(run.users * run.sessionsPerUser) sessions a day (course traffic)"
            : "\(run.users) users × \(run.sessionsPerUser) session\(run.sessionsPerUser == 1 ? "" : "s")"
        let text = " \(what) · \(run.days) days · \(sessions) · seed \(run.seed)"
        let dated = text + " · stored \(formatDate(run.createdAt))"
        return DisplayWidth.of(dated) <= width ? dated : text
    }

    /// The listeners and the retraining: "returning (rate 0.7/day, …) · retrained every night".
    static func details(_ run: LongTermRun) -> String {
        var parts = [run.listeners]
        if let every = run.options.retrainEvery {
            parts.append((every == 1 ? "retrained every night" : "retrained every \(every) nights")
                         + (run.options.incremental ? " (incremental)" : ""))
        } else {
            parts.append("no retraining")
        }
        return parts.joined(separator: " · ")
    }

    /// The long-term metric per arm: "i2i  39.17 [38.15, 40.20]  +13.5% [+8.5, +18.5] p<0.001" (the
    /// control: "control").
    static func metricLines(_ run: LongTermRun, wide: Bool, nameWidth: Int, _ theme: Theme) -> [Line] {
        let title = wide ? " Listening per assigned user over \(run.days) days (Σ session length): mean [95% CI]"
            : " listening/user, \(run.days) days [95% CI]"
        var lines = [Line(text: title, style: theme.header)]
        for total in run.totals {
            let ci = "[\(StatsView.number(total.listeningLow)), \(StatsView.number(total.listeningHigh))]"
            var text = "   " + DisplayWidth.fit(total.arm, to: nameWidth) + " "
                + DisplayWidth.fit(StatsView.number(total.listening), to: 6, alignRight: true) + " " + ci
            // The share still coming on the last day is the retention chart's last value.
            if wide, let u = total.versusControl {
                text += "  " + StatsView.upliftText(Uplift(relative: u.relative, low: u.relativeLow, high: u.relativeHigh,
                                                           adjustedPValue: u.adjustedPValue))
            } else if wide, total.arm == run.control {
                text += "  control"
            }
            lines.append(Line(text: text, style: .plain))
        }
        return lines
    }

    /// The days each sparkline column stands for: one day a column when they fit, else
    /// ⌈days / width⌉ consecutive days a column (the column shows their mean).
    static func columnsFor(days: Int, width: Int) -> [ClosedRange<Int>] {
        let perColumn = max(1, (days + width - 1) / max(1, width))
        return stride(from: 1, through: max(1, days), by: perColumn).map { $0...min(days, $0 + perColumn - 1) }
    }

    /// "day 1" under the first column and "day D" ending under the last, with how many days a
    /// column holds when it is more than one.
    static func axis(days: Int, columns: [ClosedRange<Int>], indent: Int) -> String {
        let left = "day 1", right = "day \(days)"
        let gap = columns.count - left.count - right.count
        var text = String(repeating: " ", count: indent)
        if gap >= 1 {
            text += left + String(repeating: " ", count: gap) + right
        } else {
            text += "1" + String(repeating: " ", count: max(1, columns.count - 1 - String(days).count)) + String(days)
        }
        if let first = columns.first, first.count > 1 { text += "  (\(first.count) days a column)" }
        return text
    }

    /// One block per value on the scale 0…`top` (NaN: a blank).
    static func sparkline(_ values: [Double], top: Double) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(values.map { v in
            guard v.isFinite, top > 0 else { return " " }
            return blocks[min(blocks.count - 1, max(0, Int((v / top * Double(blocks.count)).rounded(.down))))]
        })
    }

    /// The smallest of 1, 2, 5, 10, 20, 50 and 100% at or above every day's value of `figure`.
    static func scaleTop(_ run: LongTermRun, _ figure: KeyPath<LongTermDay, Double>) -> Double {
        let peak = run.daily.map { $0[keyPath: figure] }.filter(\.isFinite).max() ?? 0
        return [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].first { $0 >= peak } ?? 1
    }

    static func percentLabel(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }

    /// "25.6%", "100%"; "-" when unknown.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return fraction >= 0.9995 ? "100%" : format1(fraction * 100) + "%"
    }

    static func mean(_ values: [Double]) -> Double {
        let finite = values.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }
}
