import Recommenders
import Terminal

/// The stage times of a staged strategy's latest picks (the ranker's: candidates, features,
/// scoring, rules, why-line), at most `kept`, as the runner measured them.
public struct StageTimings: Equatable, Sendable {
    /// Enough picks for a p99 that is not just the maximum, few enough to follow a change.
    public static let kept = 200
    public private(set) var picks: [StageClock] = []

    public init() {}

    mutating func add(_ clock: StageClock) {
        picks.append(clock)
        if picks.count > Self.kept { picks.removeFirst(picks.count - Self.kept) }
    }

    /// Per stage, then the whole pick: p50 and p99 in µs (the nearest-rank quantile, as
    /// `eval --ranker-stages` computes it).
    func quantiles() -> [(p50: Double, p99: Double)] {
        let columns = picks.map(\.values)
        return (0...StageClock.stageNames.count).map { stage in
            let sorted = columns.map { stage < $0.count ? $0[stage] : $0.reduce(0, +) }.sorted()
            func at(_ q: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000 }
            return (at(0.5), at(0.99))
        }
    }
}

/// The Strategies screen's panel of stage times: a blank line, a title, the stage names, then
/// the p50 and the p99 of each stage and of the whole pick.
enum StageTimingsView {
    static let height = 5
    static let headings = ["candidates", "features", "scoring", "rules", "why-line", "total"]

    static func draw(_ name: String, _ timings: StageTimings, x: Int, y: Int, width: Int, theme: Theme, _ buffer: inout ScreenBuffer) {
        let n = timings.picks.count
        buffer.clipped(" \(name): time per stage of its last \(n == 1 ? "pick" : "\(n) picks"), µs", x: x, y: y + 1,
                       style: theme.accent, width: width)
        buffer.clipped(row("", headings), x: x, y: y + 2, style: theme.dim, width: width)
        let q = timings.quantiles()
        buffer.clipped(row("p50", q.map { micros($0.p50) }), x: x, y: y + 3, style: .plain, width: width)
        buffer.clipped(row("p99", q.map { micros($0.p99) }), x: x, y: y + 4, style: .plain, width: width)
    }

    /// "   p50        120.5      40.2 …": a label, then right-aligned cells.
    static func row(_ label: String, _ cells: [String]) -> String {
        "   " + label.padding(toLength: 4, withPad: " ", startingAt: 0)
            + cells.map { String(repeating: " ", count: max(1, 11 - $0.count)) + $0 }.joined()
    }

    /// One decimal below 100 µs, whole microseconds above.
    static func micros(_ x: Double) -> String { x >= 100 ? String(Int(x.rounded())) : fixed(x, 1) }
}
