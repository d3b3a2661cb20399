import Foundation

/// The plain-text form of a report for terminals and logs (columns aligned for ASCII names).
extension StatsReport {
    public func table() -> String {
        var text = title + "\n"
        if design == .randomised {
            text += "randomised by user; unit of analysis: user\n"
        } else if groups.count > 1 {
            text += "observational (not randomised: listeners or the player chose the strategy); unit of analysis: user\n"
        } else {
            text += "unit of analysis: user\n"
        }
        var rows: [[String]] = [["group", "users", "sessions", "mean length", "95% CI", "median", "plays/session",
                                 "skip rate", "heard/rec"]]
        for g in groups {
            rows.append([g.name, String(g.users), String(g.sessions), Self.fixed(g.length.value, 3),
                         "[\(Self.fixed(g.length.ciLow, 3)), \(Self.fixed(g.length.ciHigh, 3))]",
                         Self.fixed(g.medianLength, 2), Self.fixed(g.playsPerSession.value, 2),
                         Self.percent(g.skipRate.value), Self.fixed(g.heardPerRecommendation.value, 3)])
        }
        text += Self.render(rows, rightAligned: Set(1...8))
        if !uplifts.isEmpty {
            var up: [[String]] = [["treatment vs control", "uplift", "95% CI", "uplift %", "95% CI %", "MDE %", "p", "p (Holm)", ""]]
            for u in uplifts {
                let c = u.length
                up.append(["\(u.treatment) vs \(u.control)"] + Self.upliftCells(c, digits: 3) + [
                           Self.percent(c.relativeMinimumDetectableEffect),
                           Self.pValue(c.pValue), Self.pValue(u.adjustedPValue), Self.verdict(u)])
            }
            text += "\n" + Self.render(up, rightAligned: Set(1...7))
        }
        if let srm = sampleRatio {
            let split = srm.observed.map(String.init).joined(separator: "/")
            text += srm.mismatch
                ? "SAMPLE RATIO MISMATCH: users per arm \(split) against an equal split, χ² = \(Self.fixed(srm.chiSquare, 2)), "
                    + "p = \(Self.pValue(srm.pValue)) < \(SampleRatioCheck.threshold): the assignment or the data is broken; "
                    + "do not trust the comparison\n"
                : "sample ratio: users per arm \(split), χ² = \(Self.fixed(srm.chiSquare, 2)), p = \(Self.pValue(srm.pValue)) (ok)\n"
        }
        if let v = varianceReduction {
            text += "CUPED: uplifts adjusted by each user's pre-experiment mean session length "
                + "(\(v.usersWithPrePeriod) of \(v.users) users have one); variance of the differences "
                + "\(Self.signedPercent(-v.reduction))\n"
        }
        if mixedSessions > 0 {
            text += "\(mixedSessions) session\(mixedSessions == 1 ? "" : "s") switched strategy mid-session: "
                + "left out of session lengths, counted in heard/rec of each strategy that chose plays\n"
        }
        text += "method: \(method); α = \(Self.fixed(alpha, 2))\n"
        text += "calibration: \(calibration)\n"
        return text
    }

    static func verdict(_ u: UpliftStats) -> String {
        guard u.adjustedPValue.isFinite else { return "too few users" }
        return u.significant ? "significant" : "not significant"
    }

    /// Rows as aligned columns two spaces apart (ASCII widths), trailing spaces trimmed.
    public static func render(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            var line = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    /// uplift, its CI, uplift %, its CI: the first cells of every comparison row.
    static func upliftCells(_ c: RatioComparison, digits: Int) -> [String] {
        [signed(c.difference, digits), "[\(signed(c.ciLow, digits)), \(signed(c.ciHigh, digits))]",
         signedPercent(c.relative), "[\(signedPercent(c.relativeLow)), \(signedPercent(c.relativeHigh))]"]
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x) : "-"
    }

    static func signed(_ x: Double, _ digits: Int) -> String {
        x.isFinite ? String(format: "%+.\(digits)f", x) : "-"
    }

    static func percent(_ x: Double) -> String {
        x.isFinite ? String(format: "%.1f%%", x * 100) : "-"
    }

    static func signedPercent(_ x: Double) -> String {
        x.isFinite ? String(format: "%+.1f%%", x * 100) : "-"
    }

    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "-" }
        return p < 0.0001 ? "<0.0001" : String(format: "%.4f", p)
    }
}
