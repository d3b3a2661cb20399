import Core
import Foundation

/// What a report needs to know about one session: who, how long, how many plays and skips.
public struct SessionMetrics: Sendable, Equatable {
    public var user: Int64
    public var length: Double
    public var plays: Int
    public var skips: Int

    public init(user: Int64, length: Double, plays: Int, skips: Int) {
        self.user = user
        self.length = length
        self.plays = plays
        self.skips = skips
    }
}

/// Per-group figures of a report (a group is an experiment arm or a strategy).
public struct GroupStats: Sendable, Equatable, Codable {
    public var name: String
    public var users: Int
    public var sessions: Int
    public var length: SampleStatistics
    public var playsPerSession: Double
    /// Share of plays heard less than completely (fraction < 1), pooled over all plays.
    public var skipRate: Double
}

/// One treatment against the control group.
public struct UpliftStats: Sendable, Equatable, Codable {
    public var treatment: String
    public var control: String
    public var welch: WelchComparison
    public var significant: Bool
}

/// The statistics report shared by `botify ab`, `botify stats` and the TUI stats screen:
/// per group mean session length with its 95% CI, median, plays per session, skip rate, and,
/// when a control is named, every other group's uplift with CI and Welch p-value.
public struct StatsReport: Sendable, Equatable, Codable {
    public var title: String
    public var groups: [GroupStats]
    public var control: String?
    public var uplifts: [UpliftStats]

    public init(title: String, groups: [(name: String, sessions: [SessionMetrics])], control: String? = nil,
                alpha: Double = 0.05) {
        self.title = title
        self.control = control
        self.groups = groups.map { group in
            let s = group.sessions
            let plays = s.reduce(0) { $0 + $1.plays }
            let skips = s.reduce(0) { $0 + $1.skips }
            return GroupStats(name: group.name, users: Set(s.map(\.user)).count, sessions: s.count,
                              length: SampleStatistics(s.map(\.length)),
                              playsPerSession: s.isEmpty ? .nan : Double(plays) / Double(s.count),
                              skipRate: plays == 0 ? .nan : Double(skips) / Double(plays))
        }
        guard let control, let base = self.groups.first(where: { $0.name == control }) else {
            uplifts = []
            return
        }
        uplifts = self.groups.filter { $0.name != control }.map { group in
            let w = WelchComparison(treatment: group.length, control: base.length)
            return UpliftStats(treatment: group.name, control: control, welch: w, significant: w.isSignificant(at: alpha))
        }
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A plain-text table for terminals and logs; columns are aligned for ASCII group names.
    public func table() -> String {
        var rows: [[String]] = [["group", "users", "sessions", "mean length", "95% CI", "median", "plays/session", "skip rate"]]
        for g in groups {
            rows.append([g.name, String(g.users), String(g.sessions), Self.fixed(g.length.mean, 3),
                         "[\(Self.fixed(g.length.ciLow, 3)), \(Self.fixed(g.length.ciHigh, 3))]",
                         Self.fixed(g.length.median, 2), Self.fixed(g.playsPerSession, 2),
                         Self.percent(g.skipRate)])
        }
        var text = title + "\n" + Self.render(rows, rightAligned: Set(1...7))
        if !uplifts.isEmpty {
            var up: [[String]] = [["treatment vs control", "uplift", "95% CI", "uplift %", "95% CI %", "p-value", ""]]
            for u in uplifts {
                let w = u.welch
                up.append(["\(u.treatment) vs \(u.control)", Self.signed(w.difference, 3),
                           "[\(Self.signed(w.ciLow, 3)), \(Self.signed(w.ciHigh, 3))]",
                           Self.signed(w.relative, 1) + "%",
                           "[\(Self.signed(w.relativeLow, 1))%, \(Self.signed(w.relativeHigh, 1))%]",
                           Self.pValue(w.pValue), u.significant ? "significant" : "not significant"])
            }
            text += "\n" + Self.render(up, rightAligned: Set(1...5))
        }
        return text
    }

    static func render(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
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

    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "-" }
        return p < 0.0001 ? "<0.0001" : String(format: "%.4f", p)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
