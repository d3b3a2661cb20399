import Core
import Foundation
import Testing
@testable import Experiments
@testable import Simulator

/// Hand-computed figures of a two-day, two-arm run on a four-track catalog.
@Suite struct LongTermReportTests {
    static let catalog = Catalog(source: "test", titles: ["a", "b", "c", "d"], albums: Array(repeating: "", count: 4),
                                 artistNames: ["x"], artistOfTrack: [0, 0, 0, 0], years: [0, 0, 0, 0],
                                 durations: [180, 180, 180, 180], popularity: [70, 10, 10, 10], genreNames: ["g"],
                                 genreOffsets: [0, 1, 2, 3, 4], genreIDs: [0, 0, 0, 0], subgenreNames: [],
                                 subgenreOffsets: [0, 0, 0, 0, 0], subgenreIDs: [], features: [])

    func session(_ user: Int64, arm: Int32, length: Double) -> SimulatedSession {
        SimulatedSession(user: user, index: 0, arm: arm, interest: 0, plays: 2, skips: 0, length: length)
    }

    func exposure(recommended: [Int32], heard: [Int32], users: Int, genres: Int) -> ArmExposure {
        var e = ArmExposure(tracks: 4)
        e.recommended = recommended
        e.heard = heard
        e.users = users
        e.genresHeard = genres
        return e
    }

    func report() -> LongTermReport {
        // Users 0, 1 in arm A (control); 2, 3 in arm B.
        var acc = LongTermAccumulator(arms: ["A", "B"], control: 0, armOfUser: [0, 0, 1, 1], catalog: Self.catalog)
        acc.add(day: 1, sessions: [session(0, arm: 0, length: 2), session(1, arm: 0, length: 4),
                                   session(2, arm: 1, length: 3), session(3, arm: 1, length: 5)],
                exposure: [exposure(recommended: [3, 1, 0, 0], heard: [1, 0, 0, 0], users: 2, genres: 3),
                           exposure(recommended: [1, 1, 1, 1], heard: [1, 1, 1, 0], users: 2, genres: 4)],
                rowOfUser: { Int($0) })
        acc.add(day: 2, sessions: [session(0, arm: 0, length: 1), session(2, arm: 1, length: 6), session(3, arm: 1, length: 2)],
                exposure: [exposure(recommended: [2, 0, 0, 0], heard: [0, 0, 0, 0], users: 1, genres: 0),
                           exposure(recommended: [0, 2, 2, 0], heard: [0, 2, 1, 0], users: 2, genres: 2)],
                rowOfUser: { Int($0) })
        return acc.report(title: "t", days: 2, returning: "test", churned: [1, 0])
    }

    @Test func dailyFiguresMatchHandComputation() throws {
        let r = report()
        let a1 = try #require(r.daily.first { $0.day == 1 && $0.arm == "A" })
        #expect(a1.activeUsers == 2 && a1.sessions == 2)
        #expect(a1.meanLength.value == 3)
        #expect(a1.retention == 1)
        #expect(a1.listeningPerAssignedUser == 3)            // (2 + 4) / 2
        #expect(a1.coverageRecommended == 0.5)               // tracks 0, 1 of 4
        #expect(a1.coverageHeard == 0.25)
        #expect(a1.topOnePercentShare == 0.75)               // ⌈1% of 4⌉ = 1 track holds 3 of 4
        #expect(abs(a1.gini - 0.625) < 1e-12)                // sorted 0,0,1,3: (−3·0 −1·0 +1·1 +3·3)/(4·4)
        #expect(a1.genresPerUser == 1.5)
        // Novelty: −log2 of the share of popularity + 1 (71, 11, 11, 11 of 104), weighted by plays.
        let expected = (3 * -log2(71.0 / 104) + 1 * -log2(11.0 / 104)) / 4
        #expect(abs(a1.novelty - expected) < 1e-12)
        let b1 = try #require(r.daily.first { $0.day == 1 && $0.arm == "B" })
        #expect(b1.gini == 0 && b1.coverageRecommended == 1 && b1.topOnePercentShare == 0.25)

        let a2 = try #require(r.daily.first { $0.day == 2 && $0.arm == "A" })
        #expect(a2.activeUsers == 1 && a2.retention == 0.5)
        #expect(a2.listeningPerAssignedUser == 3.5)          // (2 + 4 + 1) / 2
        #expect(a2.coverageHeard == 0 && a2.genresPerUser == 0)
        let b2 = try #require(r.daily.first { $0.day == 2 && $0.arm == "B" })
        #expect(b2.retention == 1 && b2.listeningPerAssignedUser == 8)  // (3 + 5 + 6 + 2) / 2
    }

    @Test func longTermMetricIsTheMeanOfUsersTotals() throws {
        let r = report()
        let a = try #require(r.arms.first { $0.arm == "A" })
        #expect(a.listening.value == 3.5)                    // users' totals 3 and 4
        #expect(a.retainedLastDay == 0.5 && a.churned == 1 && a.assignedUsers == 2)
        let b = try #require(r.arms.first { $0.arm == "B" })
        #expect(b.listening.value == 8)                      // totals 9 and 7
        #expect(abs(b.listening.variance - 2.0 / 2) < 1e-12) // sample variance of (9, 7) is 2, over n = 2
        let c = try #require(r.comparisons.first)
        #expect(c.treatment == "B" && c.control == "A" && c.listening.difference == 4.5)
        #expect(r.unit == "user")
    }

    @Test func csvHasEveryDayAndArm() {
        let lines = report().csv().split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("day,arm,active_users,sessions,mean_length"))
        #expect(lines[1].hasPrefix("1,A,2,2,3,"))
    }

    @Test func theTableAndTheChartNameEveryArm() {
        let r = report()
        let table = r.table()
        #expect(table.contains("unit of analysis: user"))
        #expect(table.contains("long-term metric: total listening per assigned user over 2 days"))
        #expect(table.contains("B vs A"))
        let svg = r.svg()
        #expect(svg.hasPrefix("<svg") && svg.contains(">A</text>") && svg.contains(">B</text>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 6)  // 3 panels × 2 arms
    }

    @Test func sparklinesUseAFixedScale() {
        #expect(LongTermReport.sparkline([0, 0.5, 1, .nan]) == "▁▅█ ")
    }
}
