import Core
import Foundation
import Recommenders
import Simulator
import Testing
@testable import Experiments

/// Seeded A/A runs: two arms of one strategy must differ "significantly" at 5% about 5% of the
/// time, whatever the number of sessions per user. Each run is a new experiment name (a new
/// random split of the same 200 users) and a new session seed. The session-level test that
/// botify used before (every session one observation) is measured on the same runs, to show
/// the test can tell a calibrated method from a broken one.
@Suite struct CalibrationTests {
    static let world = World.generate(catalog: ExperimentTests.catalog, config: WorldConfig(seed: 2, users: 200))

    struct Rates { var userLevel: Double; var sessionLevel: Double }

    static func aaRates(sessionsPerUser: Int, runs: Int, users: Int = 200) throws -> Rates {
        var significant = 0, sessionLevel = 0
        for run in 0..<runs {
            let experiment = try Experiment(name: "AA-\(sessionsPerUser)-\(run)", strategies: ["random", "random"])
            let plan = experiment.plan(recommenders: [RandomRecommender(), RandomRecommender()], users: users,
                                       sessionsPerUser: sessionsPerUser, seed: UInt64(run), threads: 2)
            let result = try HeadlessSimulator(world: world, plan: plan).run()
            let report = experiment.report(result)
            if report.uplifts[0].significant { significant += 1 }
            // Each session as its own unit: the pre-fix analysis.
            var arms: [[SessionMetrics]] = [[], []]
            for s in result.sessions {
                arms[Int(s.arm)].append(SessionMetrics(user: Int64(arms[Int(s.arm)].count), length: s.length, plays: 1, skips: 0))
            }
            let naive = StatsReport(title: "", design: .randomised, groups: [ReportGroup(name: "a", sessions: arms[0]),
                                                                             ReportGroup(name: "b", sessions: arms[1])], control: "a")
            if naive.uplifts[0].length.pValue < 0.05 { sessionLevel += 1 }
        }
        return Rates(userLevel: Double(significant) / Double(runs), sessionLevel: Double(sessionLevel) / Double(runs))
    }

    @Test func aaIsCalibratedAtOneSessionPerUser() throws {
        let rates = try Self.aaRates(sessionsPerUser: 1, runs: 400)
        print("A/A, 1 session per user, 400 runs: \(rates.userLevel * 100)% significant (session level \(rates.sessionLevel * 100)%)")
        #expect((0.025...0.075).contains(rates.userLevel), "share significant \(rates.userLevel)")
    }

    @Test func aaIsCalibratedAtTwentySessionsPerUser() throws {
        let rates = try Self.aaRates(sessionsPerUser: 20, runs: 400)
        print("A/A, 20 sessions per user, 400 runs: \(rates.userLevel * 100)% significant (session level \(rates.sessionLevel * 100)%)")
        #expect((0.025...0.075).contains(rates.userLevel), "share significant \(rates.userLevel)")
        // The old analysis on the same runs is far off: this test would have caught it.
        #expect(rates.sessionLevel > 0.2, "session-level share \(rates.sessionLevel)")
    }
}

/// CUPED with a pre-period: every user listened 10 sessions (no experiment) before the A/A
/// experiments; their mean is the covariate.
@Suite struct CUPEDTests {
    static let prePeriod: [Int64: Double] = {
        let plan = SimulationPlan(users: 200, sessionsPerUser: 10, seed: 99, threads: 2, experiment: nil,
                                  arms: [SimulationArm(name: "random", recommender: RandomRecommender())], assignment: { _ in 0 })
        let result = try! HeadlessSimulator(world: CalibrationTests.world, plan: plan).run()
        var sums: [Int64: (Double, Double)] = [:]
        for s in result.sessions { sums[s.user, default: (0, 0)].0 += s.length; sums[s.user, default: (0, 0)].1 += 1 }
        return sums.mapValues { $0.0 / $0.1 }
    }()

    static func run(_ index: Int, sessionsPerUser: Int, prePeriod: [Int64: Double]) throws -> StatsReport {
        let experiment = try Experiment(name: "CUPED-AA-\(index)", strategies: ["random", "random"])
        let plan = experiment.plan(recommenders: [RandomRecommender(), RandomRecommender()], users: 200,
                                   sessionsPerUser: sessionsPerUser, seed: UInt64(1000 + index), threads: 2)
        return experiment.report(try HeadlessSimulator(world: CalibrationTests.world, plan: plan).run(), prePeriod: prePeriod)
    }

    @Test func reducesVarianceAndStaysCalibrated() throws {
        var significant = 0, reductions: [Double] = []
        let runs = 400
        for i in 0..<runs {
            let report = try Self.run(i, sessionsPerUser: 5, prePeriod: Self.prePeriod)
            let reduction = try #require(report.varianceReduction)
            reductions.append(reduction.reduction)
            if report.uplifts[0].significant { significant += 1 }
        }
        let share = Double(significant) / Double(runs)
        let meanReduction = reductions.reduce(0, +) / Double(runs)
        print("CUPED A/A, 5 sessions per user, \(runs) runs: \(share * 100)% significant, variance −\(meanReduction * 100)%")
        #expect(meanReduction > 0.2, "mean variance reduction \(meanReduction)")
        #expect((0.025...0.075).contains(share), "share significant \(share)")
    }

    @Test func withoutAPrePeriodNothingIsAdjusted() throws {
        let report = try Self.run(0, sessionsPerUser: 5, prePeriod: [:])
        #expect(report.varianceReduction == nil)
        let adjusted = try Self.run(0, sessionsPerUser: 5, prePeriod: Self.prePeriod)
        // The same sessions: raw group figures agree, only the comparison is adjusted.
        #expect(adjusted.groups == report.groups)
        #expect(adjusted.uplifts[0].length.ciHigh - adjusted.uplifts[0].length.ciLow
                < report.uplifts[0].length.ciHigh - report.uplifts[0].length.ciLow)
        #expect(adjusted.table().contains("CUPED: uplifts adjusted"))
    }
}

extension CUPEDTests {
    /// Each comparison gets its own θ: a third arm with a hundredfold spread (an upper bound
    /// beside baselines) must not change how two alike arms compare.
    @Test func aWildArmDoesNotMoveTheOtherComparisons() {
        var rng = SeededGenerator(seed: 11)
        var prePeriod: [Int64: Double] = [:]
        func arm(_ name: String, _ users: Range<Int64>, scale: Double) -> ReportGroup {
            var sessions: [SessionMetrics] = []
            for user in users {
                let taste = Double.random(in: 0...3, using: &rng)
                prePeriod[user] = taste + Double.random(in: -0.5...0.5, using: &rng)
                for _ in 0..<4 {
                    sessions.append(SessionMetrics(user: user, length: scale * (taste + Double.random(in: 0...2, using: &rng)),
                                                   plays: 3, skips: 1))
                }
            }
            return ReportGroup(name: name, sessions: sessions)
        }
        let a = arm("a", 0..<300, scale: 1), b = arm("b", 300..<600, scale: 1), wild = arm("wild", 600..<900, scale: 100)
        let two = StatsReport(title: "", design: .randomised, groups: [a, b], control: "a", prePeriod: prePeriod)
        let three = StatsReport(title: "", design: .randomised, groups: [a, b, wild], control: "a", prePeriod: prePeriod)
        #expect(three.uplifts[0].length == two.uplifts[0].length)
        #expect((two.uplifts[0].varianceReduction ?? 0) > 0.3)
    }
}
