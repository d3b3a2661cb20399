import ArgumentParser
import Core
import Experiments
import Foundation
import Simulator
import Storage

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run simulated listeners headless and log their sessions.",
        discussion: """
        Each (user, session) has its own random stream from --seed, so the stored sessions and \
        plays are the same whatever --threads is. Sessions are written in batched transactions \
        (source 'sim'); when the output is piped, one line is printed per committed batch. \
        'oracle' is an upper bound that knows the hidden tastes.
        """)

    @Option(help: "Strategy that recommends every next track (e.g. random, sticky-artist, als, oracle).")
    var strategy = "random"

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(help: "Plays per committed batch (one transaction each; a session is never split).")
    var batchPlays = 100_000

    func run() throws {
        try reportingErrors {
            try runOptions.validate()
            guard batchPlays >= 1 else { throw InputError(field: "--batch-plays", value: String(batchPlays), "must be at least 1") }
            let clock = ContinuousClock.now
            let world = try self.world.load(users: runOptions.users)
            let worldSeconds = clock.duration(to: .now)
            let db = runOptions.noLog ? nil : try database.openDatabase()
            let recommender = try SimulatorStrategies.make([strategy], world: world, database: db)[0]
            let plan = SimulationPlan(users: runOptions.users, sessionsPerUser: runOptions.sessions, seed: runOptions.seed, threads: runOptions.threads,
                                      arms: [SimulationArm(name: strategy, recommender: recommender)])
            let simulator = HeadlessSimulator(world: world, plan: plan)
            let (result, worldID, ids) = try SimulationConsole.run(simulator, database: db, quiet: json, batchPlays: batchPlays)
            var title = "strategy \(strategy)"
            if strategy == OracleRecommender.strategyName { title += " — \(OracleRecommender.label)" }
            let report = StatsReport(run: result, title: title, group: strategy)
            if json {
                print(try report.json())
                return
            }
            print(WorldOptions.describe(world) + (worldID.map { ", stored as world #\($0)" } ?? "") + "; catalog and world ready in \(WorldOptions.format(worldSeconds))")
            print("\(result.sessions.count) sessions, \(result.plays) plays in \(String(format: "%.3f", result.seconds)) s: "
                  + "\(SimulationConsole.formatRate(result.playsPerSecond)) plays/s on \(runOptions.threads) threads")
            print(report.table(), terminator: "")
            if let db, let ids {
                print("logged to \(db.path): session ids \(ids.lowerBound)–\(ids.upperBound)")
            } else if db == nil {
                print("not logged (--no-log)")
            }
        }
    }
}
