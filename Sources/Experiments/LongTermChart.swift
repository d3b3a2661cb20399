import Foundation

extension LongTermReport {
    /// An SVG of three line charts side by side — retention, total listening per assigned user,
    /// catalog coverage — one line per arm, for a README or a report. Written by hand: a few
    /// polylines and labels need no charting library.
    public func svg() -> String {
        let panels: [(title: String, value: (DayArmFigures) -> Double, percent: Bool)] = [
            ("retention (share of assigned users who came)", { $0.retention }, true),
            ("listening per assigned user, cumulative", { $0.listeningPerAssignedUser }, false),
            ("catalog coverage (share recommended)", { $0.coverageRecommended }, true),
        ]
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
        let panelWidth = 360.0, panelHeight = 240.0, margin = 48.0, top = 40.0
        let width = Double(panels.count) * (panelWidth + margin) + margin
        let height = top + panelHeight + 70
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(margin)" y="18" font-size="13">\(Self.escaped(title)) — \(days) days, \(Self.escaped(returning))</text>

            """
        let armNames = arms.map(\.arm)
        for (p, panel) in panels.enumerated() {
            let x0 = margin + Double(p) * (panelWidth + margin), y0 = top
            let values = daily.map(panel.value).filter(\.isFinite)
            let maxValue = panel.percent ? 1 : max(values.max() ?? 1, 1e-9) * 1.05
            func x(_ day: Int) -> Double { x0 + (days > 1 ? Double(day - 1) / Double(days - 1) : 0.5) * panelWidth }
            func y(_ v: Double) -> Double { y0 + panelHeight - v / maxValue * panelHeight }
            svg += "<text x=\"\(x0)\" y=\"\(y0 - 6)\">\(Self.escaped(panel.title))</text>\n"
            svg += "<rect x=\"\(x0)\" y=\"\(y0)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" fill=\"none\" stroke=\"#999\"/>\n"
            for tick in 0...4 {
                let v = maxValue * Double(tick) / 4
                let label = panel.percent ? String(format: "%.0f%%", v * 100) : String(format: "%.1f", v)
                svg += "<text x=\"\(x0 - 4)\" y=\"\(Self.n(y(v) + 4))\" text-anchor=\"end\">\(label)</text>\n"
            }
            svg += "<text x=\"\(x0)\" y=\"\(y0 + panelHeight + 14)\">day 1</text>"
            svg += "<text x=\"\(x0 + panelWidth)\" y=\"\(y0 + panelHeight + 14)\" text-anchor=\"end\">day \(days)</text>\n"
            for (a, arm) in armNames.enumerated() {
                let points = daily.filter { $0.arm == arm && panel.value($0).isFinite }
                    .map { "\(Self.n(x($0.day))),\(Self.n(y(panel.value($0))))" }.joined(separator: " ")
                svg += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"\(colours[a % colours.count])\" points=\"\(points)\"/>\n"
            }
        }
        for (a, arm) in armNames.enumerated() {
            let lx = margin + Double(a) * 140, ly = top + panelHeight + 40
            svg += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"12\" height=\"12\" fill=\"\(colours[a % colours.count])\"/>"
            svg += "<text x=\"\(lx + 18)\" y=\"\(ly + 1)\">\(Self.escaped(arm))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
