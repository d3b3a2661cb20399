import Foundation

extension LongTermReport {
    /// The days the text table shows: the first three, every seventh, and the last (every day
    /// of a run of up to 10); `--csv` and `--json` have them all.
    public var shownDays: [Int] {
        guard days > 10 else { return Array(1...max(days, 1)) }
        return Array(Set([1, 2, 3, days] + stride(from: 7, through: days, by: 7))).sorted()
    }

    /// The per-day table, sparklines of retention and coverage per arm, then the long-term
    /// metric per arm and its comparisons.
    public func table() -> String {
        var out = "\(title)\n"
        out += "\(days) days; listeners: \(returning); unit of analysis: \(unit) (assigned to an arm once for the whole run)\n"
        let shown = Set(shownDays)
        var rows = [["day", "arm", "active", "sessions", "mean length", "95% CI", "retention", "listening/user",
                     "coverage", "heard", "top-1%", "gini", "novelty", "genres/user"]]
        for d in daily where shown.contains(d.day) {
            rows.append([String(d.day), d.arm, String(d.activeUsers), String(d.sessions),
                         StatsReport.fixed(d.meanLength.value, 3),
                         "[\(StatsReport.fixed(d.meanLength.ciLow, 3)), \(StatsReport.fixed(d.meanLength.ciHigh, 3))]",
                         StatsReport.percent(d.retention), StatsReport.fixed(d.listeningPerAssignedUser, 2),
                         StatsReport.percent(d.coverageRecommended), StatsReport.percent(d.coverageHeard),
                         StatsReport.percent(d.topOnePercentShare), StatsReport.fixed(d.gini, 3),
                         StatsReport.fixed(d.novelty, 2), StatsReport.fixed(d.genresPerUser, 2)])
        }
        out += StatsReport.render(rows, rightAligned: Set([0] + Array(2...13)))
        if shown.count < days { out += "(days \(shownDays.map(String.init).joined(separator: ", ")) shown; --csv FILE or --json has every day)\n" }
        out += "\n"
        let width = arms.map(\.arm.count).max() ?? 0
        for (label, value) in [("retention", { (d: DayArmFigures) in d.retention }),
                               ("coverage", { (d: DayArmFigures) in d.coverageRecommended })] {
            out += "\(label) by day, 0–100%:\n"
            for arm in arms.map(\.arm) {
                let series = daily.filter { $0.arm == arm }.map(value)
                out += "  " + arm.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.sparkline(series) + "\n"
            }
        }
        out += "\nlong-term metric: total listening per assigned user over \(days) days\n"
        rows = [["arm", "users", "listening/user", "95% CI", "still coming on day \(days)", "churned"]]
        for a in arms {
            rows.append([a.arm, String(a.assignedUsers), StatsReport.fixed(a.listening.value, 2),
                         "[\(StatsReport.fixed(a.listening.ciLow, 2)), \(StatsReport.fixed(a.listening.ciHigh, 2))]",
                         StatsReport.percent(a.retainedLastDay), String(a.churned)])
        }
        out += StatsReport.render(rows, rightAligned: [1, 2, 3, 4, 5])
        if !comparisons.isEmpty {
            out += "\n"
            rows = [["treatment vs control", "uplift", "95% CI", "uplift %", "95% CI %", "p", "p (Holm)", ""]]
            for c in comparisons {
                rows.append(["\(c.treatment) vs \(c.control)"] + StatsReport.upliftCells(c.listening, digits: 2) + [
                             StatsReport.pValue(c.listening.pValue), StatsReport.pValue(c.adjustedPValue),
                             c.significant ? "significant" : "not significant"])
            }
            out += StatsReport.render(rows, rightAligned: [1, 2, 3, 4, 5, 6])
        }
        out += "method: \(method)\n"
        return out
    }

    /// One block character per value on a fixed 0…1 scale, so arms compare by eye.
    static func sparkline(_ values: [Double]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(values.map { v in
            guard v.isFinite else { return " " }
            return blocks[min(blocks.count - 1, max(0, Int((v * Double(blocks.count)).rounded(.down))))]
        })
    }
}
