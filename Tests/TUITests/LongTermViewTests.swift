import Core
import Foundation
import Terminal
import Testing
@testable import TUI

/// The Stats screen's long-term view (`L`): golden frames and what the keys do.
@Suite struct LongTermViewTests {
    /// A 30-day, three-arm run shaped like docs/LONG-TERM.md's study: retention falls from
    /// 100% towards a floor, coverage settles; figures are made up, round and stable.
    static func study(id: Int64 = 2, experiment: String = "LONG-TERM", days: Int = 30) -> LongTermRun {
        let arms = ["top-pop", "i2i", "als"]
        let floors = [0.25, 0.22, 0.18], coverage = [(0.004, 0.004), (0.57, 0.15), (0.004, 0.025)]
        var daily: [LongTermDay] = []
        for day in 1...days {
            for (a, arm) in arms.enumerated() {
                let retention = floors[a] + (1 - floors[a]) * exp(-Double(day - 1) / 1.5)
                let (start, settled) = coverage[a]
                let covered = day == 1 ? start : settled + (a == 1 ? 0.1 : 0.01) * exp(-Double(day - 2) / 3)
                daily.append(LongTermDay(day: day, arm: arm, activeUsers: Int(retention * 3300), sessions: Int(retention * 3300),
                                         meanLength: 3.5 + Double(a) * 0.5, meanLengthLow: 3.4 + Double(a) * 0.5,
                                         meanLengthHigh: 3.6 + Double(a) * 0.5, retention: retention,
                                         listeningPerAssignedUser: Double(day) * (1.1 + Double(a) * 0.1), coverageRecommended: covered,
                                         coverageHeard: covered / 2, topOnePercentShare: 0.9, gini: 0.99, novelty: 13.5,
                                         genresPerUser: 2))
            }
        }
        return LongTermRun(
            id: id, command: "ab", experiment: experiment, title: "experiment \(experiment), long term", arms: arms, control: "top-pop",
            days: days, users: 10000, sessionsPerUser: 1, traffic: "per-user", seed: 8, worldID: 1, sessionIDs: 1...90120,
            options: LongTermOptions(retrainEvery: 1, returnRate: 0.7, returnSensitivity: 2, fatigue: 0.1, churn: 0.02),
            listeners: "returning (rate 0.7/day, sensitivity 2, fatigue 0.1, churn 0.02)", method: "long-term metric",
            createdAt: 1_796_425_800, daily: daily,
            totals: [
                LongTermArmTotal(arm: "top-pop", assignedUsers: 3250, listening: 34.52, listeningLow: 33.30, listeningHigh: 35.74,
                                 retainedLastDay: 0.256, churned: 782),
                LongTermArmTotal(arm: "i2i", assignedUsers: 3386, listening: 39.17, listeningLow: 38.15, listeningHigh: 40.20,
                                 retainedLastDay: 0.226, churned: 790,
                                 versusControl: LongTermUplift(difference: 4.66, differenceLow: 3.06, differenceHigh: 6.25, relative: 0.135,
                                                               relativeLow: 0.085, relativeHigh: 0.185, pValue: 0.00001,
                                                               adjustedPValue: 0.00002, significant: true)),
                LongTermArmTotal(arm: "als", assignedUsers: 3364, listening: 38.74, listeningLow: 37.47, listeningHigh: 40.00,
                                 retainedLastDay: 0.178, churned: 798,
                                 versusControl: LongTermUplift(difference: 4.22, differenceLow: 2.46, differenceHigh: 5.98, relative: 0.122,
                                                               relativeLow: 0.068, relativeHigh: 0.176, pValue: 0.00001,
                                                               adjustedPValue: 0.00002, significant: true)),
            ])
    }

    static func header(_ run: LongTermRun) -> LongTermRun {
        var header = run
        header.daily = []
        header.totals = []
        return header
    }

    static var snapshot: LongTermSnapshot {
        let older = study(id: 1, experiment: "BUBBLE", days: 20)
        return LongTermSnapshot(runs: [header(study()), header(older)], selected: study())
    }

    static func longTermState(_ w: Int, _ h: Int) -> AppState {
        var state = makeState(width: w, height: h)
        apply(&state, .key(.char("L")), .longTermLoaded(Self.snapshot))
        return state
    }

    @Test(arguments: ScreenSnapshotTests.sizes + [(120, 30)])
    func longTermView(_ w: Int, _ h: Int) {
        assertSnapshot(AppView.render(Self.longTermState(w, h)), named: "stats-long-term-\(w)x\(h)")
    }

    /// The sparklines are drawn in the progress colour, the titles as headers.
    @Test func longTermViewStyles() {
        assertStyledSnapshot(AppView.render(Self.longTermState(80, 24)), named: "stats-long-term-styled-80x24")
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func emptyLongTermViewSaysHowToMakeARun(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .key(.char("L")), .longTermLoaded(LongTermSnapshot(runs: [], selected: nil)))
        assertSnapshot(AppView.render(state), named: "stats-long-term-empty-\(w)x\(h)")
    }

    /// A run longer than the chart is wide: several days a column, and the axis says how many.
    @Test func aLongRunFoldsDaysIntoColumns() {
        var state = makeState(width: 80, height: 24)
        let long = Self.study(days: 365)
        apply(&state, .key(.char("L")), .longTermLoaded(LongTermSnapshot(runs: [Self.header(long)], selected: long)))
        assertSnapshot(AppView.render(state), named: "stats-long-term-365-days-80x24")
        let text = LongTermView.lines(state, width: 80, height: 21).map(\.text)
        #expect(text.contains { $0.contains("day 1") && $0.contains("day 365") && $0.contains("(7 days a column)") })
    }

    /// Every frame from 40×10 up fits: chart rows never wider than the screen, the header first, and
    /// the retention chart on screen whenever there is room for it.
    @Test func everySizeFits() {
        for w in stride(from: 40, through: 130, by: 9) {
            for h in 10...30 {
                let state = Self.longTermState(w, h)
                let body = AppView.body(state)
                let lines = LongTermView.lines(state, width: body.width, height: body.height)
                #expect(lines.count <= body.height, "\(w)x\(h)")
                // Chart rows are never cut: the last day's value stays on screen.
                #expect(lines.filter { $0.spark != nil }.allSatisfy { DisplayWidth.of($0.text) <= w }, "\(w)x\(h)")
                #expect(lines.first?.text.contains("L: sessions") == true)
                if body.height >= 5 { #expect(lines.contains { $0.text.contains("retention") || $0.text.contains("Retention") }, "\(w)x\(h)") }
            }
        }
    }

    @Test func lTogglesTheViewAndLoadsWhatItShows() {
        var state = makeState()
        #expect(apply(&state, .key(.char("L"))) == [.loadLongTerm(selected: nil)])
        #expect(state.screen == .stats && state.statsView == .longTerm)
        apply(&state, .longTermLoaded(Self.snapshot))
        #expect(apply(&state, .key(.char("L"))) == [.loadStats(nil, baseline: "random")])
        #expect(state.statsView == .sessions)
        // Back to the runs: the one that was on screen is asked for again.
        #expect(apply(&state, .key(.char("L"))) == [.loadLongTerm(selected: 2)])
        // From another screen, L opens the view (and the Stats tab shows it again later).
        apply(&state, .command(.screen(.library)))
        #expect(apply(&state, .key(.char("L"))) == [.loadLongTerm(selected: 2)] && state.statsView == .longTerm)
        #expect(apply(&state, .command(.screen(.stats))) == [.loadLongTerm(selected: 2)])
        // S goes back to the sessions of the next source.
        #expect(apply(&state, .key(.char("S"))) == [.loadStats(.human, baseline: "random")] && state.statsView == .sessions)
    }

    @Test func jAndKPickARunAndEnterChangesNoBaseline() {
        var state = Self.longTermState(80, 24)
        #expect(apply(&state, .key(.char("j"))) == [.loadLongTerm(selected: 1)] && state.longTermCursor == 1)
        #expect(apply(&state, .key(.char("j"))).isEmpty, "already on the oldest run")
        #expect(apply(&state, .key(.char("k"))) == [.loadLongTerm(selected: 2)] && state.longTermCursor == 0)
        #expect(apply(&state, .key(.enter)).isEmpty && state.statsBaseline == "random")
        // An answer holding another run moves the cursor to it, so the row and the charts agree.
        var older = Self.snapshot
        older.selected = Self.study(id: 1, experiment: "BUBBLE", days: 20)
        apply(&state, .longTermLoaded(older))
        #expect(state.longTermCursor == 1)
        #expect(LongTermView.lines(state, width: 80, height: 21)[0].text.contains("run 2 of 2"))
    }

    @Test func theHelpListsTheKey() {
        let state = makeState()
        #expect(HelpView.lines(state).contains { $0.text.contains("L ") && $0.text.contains("long-term") })
    }
}
