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

    @Test func reportsArmsAndUplift() throws {
        let experiment = try Experiment(name: "ORACLE_VS_RANDOM", strategies: ["random", "oracle"])
        let plan = experiment.plan(recommenders: [RandomRecommender(), OracleRecommender(world: Self.world)], users: 40,
                                   sessionsPerUser: 1, seed: 1, threads: 2)
        let report = experiment.report(try HeadlessSimulator(world: Self.world, plan: plan).run())
        #expect(report.groups.map(\.name) == ["random", "oracle"])
        #expect(report.groups.map(\.sessions).reduce(0, +) == 40)
        let uplift = report.uplifts[0]
        #expect(uplift.treatment == "oracle" && uplift.control == "random")
        #expect(uplift.length.difference > 0 && uplift.significant)
        let table = report.table()
        #expect(table.contains("oracle vs random") && table.contains("significant"))
        let json = try report.json()
        #expect(json.contains("\"pValue\""))
    }

    /// A real effect survives the honest analysis: a day of random traffic, i2i trained on it,
    /// then random against i2i with many sessions per user.
    @Test func aRealEffectIsStillFound() throws {
        let path = NSTemporaryDirectory() + "botify-effect-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try BotifyDatabase(path: path)
        let dayOne = SimulationPlan(users: 200, sessionsPerUser: 5, seed: 7, threads: 2, experiment: nil,
                                    arms: [SimulationArm(name: "random", recommender: RandomRecommender())], assignment: { _ in 0 })
        let writer = BatchSessionWriter(database: database, batchPlays: 1000)
        _ = try HeadlessSimulator(world: Self.world, plan: dayOne).run(sink: writer)
        try writer.close()
        let registry = SimulatorStrategies.registry(world: Self.world)
        _ = try ModelService(store: database).train(try registry.strategy(named: "i2i"), from: database, catalog: Self.catalog)
        let experiment = try Experiment(name: "RANDOM_VS_I2I", strategies: ["random", "i2i"])
        let plan = experiment.plan(recommenders: try SimulatorStrategies.make(["random", "i2i"], world: Self.world, database: database),
                                   users: 200, sessionsPerUser: 10, seed: 8, threads: 2)
        let report = experiment.report(try HeadlessSimulator(world: Self.world, plan: plan).run())
        let uplift = report.uplifts[0]
        #expect(uplift.length.difference > 0 && uplift.adjustedPValue < 0.001, "\(report.table())")
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
        let record = ExperimentRecord(name: "STORED", arms: experiment.arms, control: experiment.control, seed: 4, users: 30,
                                      sessionsPerUser: 2, createdAt: 0)
        let stored = StatsReport(experiment: record, sessions: try database.sessionSummaries(SessionFilter(experiment: "STORED")))
        #expect(stored.groups.map(\.name) == live.groups.map(\.name))
        #expect(stored.groups.map(\.sessions) == live.groups.map(\.sessions))
        #expect(stored.groups.map(\.users) == live.groups.map(\.users))
        for (a, b) in zip(stored.groups, live.groups) {
            #expect(abs(a.length.value - b.length.value) < 1e-6 && abs(a.length.variance - b.length.variance) <= 1e-6 * b.length.variance)
            #expect(a.playsPerSession == b.playsPerSession && a.skipRate == b.skipRate)
            #expect(abs(a.heardPerRecommendation.value - b.heardPerRecommendation.value) < 1e-6)
        }
        #expect(abs(stored.uplifts[0].length.pValue - live.uplifts[0].length.pValue) < 1e-6)
    }
}
