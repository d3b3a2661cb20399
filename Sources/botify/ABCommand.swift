import ArgumentParser
import Core
import Experiments
import Foundation
import Simulator
import Storage

struct ABCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "Run an A/B experiment between strategies over simulated users.",
        discussion: """
        Users go to arms as the course's experiment.py does: \
        murmur3_x86_32(String(user), seed: murmur3_x86_32(NAME, seed: 0)) % arms, so assignment is \
        stable per experiment and independent between experiments. A name already in the database is \
        refused unless --replace, which deletes the old run's sessions, plays and record first. Repeating a strategy (an A/A \
        test) names the second arm STRATEGY#2. With --traffic course each session draws its user \
        uniformly with replacement (the course simulator's traffic). The experiment, its arms, seed, traffic \
        and result are stored.
        """)

    @Option(help: "Experiment name (it also seeds the user → arm assignment).")
    var experiment: String

    @Option(help: ArgumentHelp("Strategies of the arms, comma-separated (A,B[,C…]).", valueName: "A,B"))
    var arms: String

    @Option(help: "The control arm. Default: the first arm.")
    var control: String?

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup var database: DatabaseOptions

    @Flag(help: "If the experiment already exists in the database, delete its sessions, plays and record first.")
    var replace = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        try reportingErrors {
            try runOptions.validate()
            let strategies = arms.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = strategies.firstIndex(of: "") {
                throw InputError(field: "--arms", value: arms, "arm \(empty + 1) is empty")
            }
            let experiment = try Experiment(name: self.experiment, strategies: strategies, control: control)
            let clock = ContinuousClock.now
            let world = try self.world.load(users: runOptions.users)
            let worldSeconds = clock.duration(to: .now)
            let db = runOptions.noLog ? nil : try database.openDatabase()
            if let db {
                let existing = try db.experiments.footprint(experiment.name)
                if existing.recorded || existing.sessions > 0 {
                    guard replace else {
                        throw InputError("experiment \(experiment.name) already exists in \(db.path) (\(existing.sessions) sessions); "
                                         + "choose another name or pass --replace")
                    }
                    try db.experiments.delete(experiment.name)
                }
            }
            let recommenders = try SimulatorStrategies.make(strategies, world: world, database: db)
            var plan = experiment.plan(recommenders: recommenders, users: runOptions.users,
                                       sessionsPerUser: runOptions.sessions, seed: runOptions.seed, threads: runOptions.threads)
            plan.traffic = runOptions.traffic
            let simulator = HeadlessSimulator(world: world, plan: plan)
            let (result, worldID, ids) = try SimulationConsole.run(simulator, database: db, quiet: json)
            let report = experiment.report(result)
            if let db {
                try db.experiments.save(ExperimentRecord(
                    name: experiment.name, arms: experiment.arms, control: experiment.control, seed: runOptions.seed,
                    users: runOptions.users, sessionsPerUser: runOptions.sessions, worldID: worldID,
                    createdAt: Date().timeIntervalSince1970, result: try report.json(), traffic: runOptions.traffic.rawValue))
            }
            if json {
                print(try report.json())
                return
            }
            print(WorldOptions.describe(world) + (worldID.map { ", stored as world #\($0)" } ?? "") + "; catalog and world ready in \(WorldOptions.format(worldSeconds))")
            print("\(result.sessions.count) sessions, \(result.plays) plays in \(String(format: "%.3f", result.seconds)) s: "
                  + "\(SimulationConsole.formatRate(result.playsPerSecond)) plays/s on \(runOptions.threads) threads"
                  + SimulationConsole.trafficNote(runOptions.traffic))
            if strategies.contains(OracleRecommender.strategyName) {
                print("note: \(OracleRecommender.strategyName) is an \(OracleRecommender.label)")
            }
            print(report.table(), terminator: "")
            if let db, let ids {
                print("experiment \(experiment.name) stored in \(db.path): session ids \(ids.lowerBound)–\(ids.upperBound)")
            }
        }
    }
}
