import Core
import Foundation
import Recommenders
import Simulator
import Storage
import Testing
@testable import Experiments

@Suite struct ExperimentTests {
    static let catalog: Catalog = {
        let n = 300
        return Catalog(source: "test", titles: (0..<n).map { "t\($0)" }, albums: Array(repeating: "", count: n),
                       artistNames: (0..<60).map { "a\($0)" }, artistOfTrack: (0..<n).map { Int32($0 % 60) },
                       years: Array(repeating: 0, count: n), durations: Array(repeating: 180, count: n),
                       popularity: (0..<n).map { Float($0 % 50) }, genreNames: ["g0", "g1"],
                       genreOffsets: (0...n).map(Int32.init), genreIDs: (0..<n).map { Int32($0 % 2) },
                       subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1), subgenreIDs: [], features: [])
    }()
    static let world = World.generate(catalog: catalog, config: WorldConfig(seed: 2, users: 200))

    @Test func armLabelsAndControl() throws {
        let aa = try Experiment(name: "AA", strategies: ["random", "random"])
        #expect(aa.arms == ["random", "random#2"] && aa.control == "random")
        #expect(throws: InputError.self) { try Experiment(name: "X", strategies: ["random"]) }
        #expect(throws: InputError.self) { try Experiment(name: "X", strategies: ["random", "oracle"], control: "als") }
    }

    /// A/A: two arms of one strategy must differ significantly at 5% about 5% of the time.
    @Test func aaFalsePositiveRateIsAboutFivePercent() throws {
        var significant = 0
        let runs = 200
        for seed in 0..<runs {
            // A new name per run re-draws the user split, so users' fixed tastes do not bias every run alike.
            let experiment = try Experiment(name: "AA-\(seed)", strategies: ["random", "random"])
            let plan = experiment.plan(recommenders: [RandomRecommender(), RandomRecommender()], users: 120,
                                       sessionsPerUser: 1, seed: UInt64(seed), threads: 2)
            let result = try HeadlessSimulator(world: Self.world, plan: plan).run()
            let report = experiment.report(result)
            if report.uplifts[0].significant { significant += 1 }
        }
        let share = Double(significant) / Double(runs)
        #expect((0.02...0.08).contains(share), "share significant \(share)")
    }

    @Test func reportsArmsAndUplift() throws {
        let experiment = try Experiment(name: "ORACLE_VS_RANDOM", strategies: ["random", "oracle"])
        let plan = experiment.plan(recommenders: [RandomRecommender(), OracleRecommender(world: Self.world)], users: 40,
                                   sessionsPerUser: 1, seed: 1, threads: 2)
        let report = experiment.report(try HeadlessSimulator(world: Self.world, plan: plan).run())
        #expect(report.groups.map(\.name) == ["random", "oracle"])
        #expect(report.groups.map(\.sessions).reduce(0, +) == 40)
        let uplift = report.uplifts[0]
        #expect(uplift.treatment == "oracle" && uplift.control == "random")
        #expect(uplift.welch.difference > 0 && uplift.significant)
        let table = report.table()
        #expect(table.contains("oracle vs random") && table.contains("significant"))
        let json = try report.json()
        #expect(json.contains("\"pValue\""))
    }

    @Test func storedSessionsGiveTheSameReportAsTheRun() throws {
        let path = NSTemporaryDirectory() + "botify-exp-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try BotifyDatabase(path: path)
        let experiment = try Experiment(name: "STORED", strategies: ["random", "oracle"])
        let plan = experiment.plan(recommenders: [RandomRecommender(), OracleRecommender(world: Self.world)], users: 30,
                                   sessionsPerUser: 2, seed: 4, threads: 2)
        let writer = BatchSessionWriter(database: database, batchPlays: 200)
        let result = try HeadlessSimulator(world: Self.world, plan: plan).run(sink: writer)
        try writer.close()
        let live = experiment.report(result)
        let stored = StatsReport(stored: try database.sessionSummaries(SessionFilter(experiment: "STORED")),
                                 title: live.title, by: .arm, order: experiment.arms, control: experiment.control)
        #expect(stored.groups.map(\.name) == live.groups.map(\.name))
        #expect(stored.groups.map(\.sessions) == live.groups.map(\.sessions))
        #expect(stored.groups.map(\.users) == live.groups.map(\.users))
        for (a, b) in zip(stored.groups, live.groups) {
            #expect(abs(a.length.mean - b.length.mean) < 1e-6)
            #expect(a.playsPerSession == b.playsPerSession && a.skipRate == b.skipRate)
        }
        #expect(abs(stored.uplifts[0].welch.pValue - live.uplifts[0].welch.pValue) < 1e-6)
    }
}
