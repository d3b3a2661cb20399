import ArgumentParser
import Core
import Experiments
import Foundation
import Recommenders
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
        and result are stored. With --days D users keep their arm for all D days (optionally --retrain, \
        --returning); the run then also reports each day, catalog health and total listening per \
        assigned user over the run, per arm, with user-level intervals.
        """)

    @Option(help: "Experiment name (it also seeds the user → arm assignment). Required unless --plan.")
    var experiment: String?

    @Option(help: ArgumentHelp("Strategies of the arms, comma-separated (A,B[,C…]).", valueName: "A,B"))
    var arms: String

    @Option(help: "The control arm. Default: the first arm.")
    var control: String?

    @OptionGroup var runOptions: RunOptions
    @OptionGroup(title: "Remote strategies (an arm http://HOST:PORT)") var remote: RemoteOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup(title: "Days") var dayOptions: DayOptions
    @OptionGroup(title: "Retraining (with --retrain)") var model: ModelFlags

    @Flag(help: "If the experiment already exists in the database, delete its sessions, plays and record first.")
    var replace = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Plan instead of run: simulate a pilot of the control (--users × --sessions, not logged) and print how many users the experiment needs to detect --mde.")
    var plan = false

    @Option(help: ArgumentHelp("With --plan: plan from stored sessions of the control strategy instead of a simulated pilot: those of experiment NAME, or '-' for sessions outside experiments.", valueName: "NAME"))
    var pilot: String?

    @Option(help: ArgumentHelp("With --plan: the smallest relative change of mean session length to detect, in percent.", valueName: "PERCENT"))
    var mde: String = "5%"

    /// The strategies of --arms, each a known name.
    func armStrategies() throws -> [String] {
        let strategies = arms.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if let empty = strategies.firstIndex(of: "") {
            throw InputError(field: "--arms", value: arms, "arm \(empty + 1) is empty")
        }
        for s in strategies { try SimulatedStrategyNames.check(s, field: "--arms") }
        return strategies
    }

    /// Called while parsing: bad sizes and unknown strategies are refused before anything is
    /// built, opened or written.
    func validate() throws {
        try remote.validate()
        try runOptions.validate()
        try dayOptions.validate(runOptions, strategies: try armStrategies())
    }

    func run() throws {
        try reportingErrors {
            try validate()
            let strategies = try armStrategies()
            if plan {
                try runPlan(strategies: strategies)
                return
            }
            guard let name = self.experiment else {
                throw InputError(field: "--experiment", value: "", "an experiment needs a name (or pass --plan)")
            }
            let experiment = try Experiment(name: name, strategies: strategies, control: control)
            let needsLists = try SimulatedStrategyNames.requireDatabase(for: strategies, field: "--arms", database: database)
            var db: BotifyDatabase?
            // The files are read and checked before the database is opened; the experiment name
            // is checked before the world cache is written.
            let loaded = try self.world.prepare(users: runOptions.users) {
                if runOptions.noLog { return .readOnly(path: database.path) }
                let opened = try database.openDatabase()
                db = opened
                let existing = try opened.experiments.footprint(experiment.name)
                if existing.recorded || existing.sessions > 0 {
                    guard replace else {
                        throw InputError("experiment \(experiment.name) already exists in \(opened.path) (\(existing.sessions) sessions); "
                                         + "choose another name or pass --replace")
                    }
                    try opened.experiments.delete(experiment.name)
                }
                return .readWrite(opened)
            }
            let world = loaded.world
            let trainingOptions = try model.options(seed: TrainingOptions().seed, threads: runOptions.threads)
            let lists = try db ?? (needsLists ? database.openDatabase(mustExist: true) : nil)
            let cycle = DayCycle(options: dayOptions, run: runOptions, strategies: strategies, experiment: experiment,
                                 batchPlays: 100_000, quiet: json)
            if !json { SimulationConsole.printWorld(loaded) }
            let outcome = try cycle.run(world: world, worldID: loaded.worldID, database: db, lists: lists,
                                        trainingOptions: trainingOptions) { day, result, trained in
                if !json { print(SimulateCommand.dayLine(day, result, strategy: nil, trained)); fflush(nil) }
            }
            let (result, worldID, ids) = (outcome.total, outcome.worldID, outcome.sessionIDs)
            // CUPED's covariate: what the same users did on this world before the experiment.
            var prePeriod: [Int64: Double] = [:]
            if let db, let worldID, let ids {
                prePeriod = try db.prePeriodMeanLengths(worldID: worldID, before: ids.lowerBound,
                                                        excludingExperiment: experiment.name)
            }
            let report = experiment.report(result, prePeriod: prePeriod)
            if let db {
                let record = ExperimentRecord(
                    name: experiment.name, arms: experiment.arms, control: experiment.control, seed: runOptions.seed,
                    users: runOptions.users, sessionsPerUser: runOptions.sessions, worldID: worldID,
                    createdAt: Date().timeIntervalSince1970, result: try report.json(), traffic: runOptions.traffic.rawValue)
                if let longTerm = outcome.longTerm {
                    // The record and the long-term report in one transaction: the run is stored whole.
                    try db.longTermRuns.save(DayCycle.stored(longTerm, command: "ab", experiment: experiment.name, run: runOptions,
                                                             options: dayOptions, outcome: outcome),
                                             experiment: record)
                } else {
                    try db.experiments.save(record)
                }
            }
            if let longTerm = outcome.longTerm { try DayCycle.writeFiles(longTerm, options: dayOptions) }
            if json {
                print(try DayCycle.json(report, outcome.longTerm))
                for line in RemoteOptions.summaryLines() { printError(line) }
                return
            }
            SimulationConsole.printSummary(result, options: runOptions, threads: runOptions.threads(for: strategies))
            if strategies.contains(OracleRecommender.strategyName) {
                print("note: \(OracleRecommender.strategyName) is an \(OracleRecommender.label)")
            }
            print(report.table(), terminator: "")
            if let longTerm = outcome.longTerm { print("\n" + longTerm.table(), terminator: "") }
            for line in RemoteOptions.summaryLines() { print(line) }
            if let db, let ids {
                print("experiment \(experiment.name) stored in \(db.path): session ids \(ids.lowerBound)–\(ids.upperBound)")
            }
        }
    }

    /// `--plan`: a pilot of the control strategy, then users needed per sessions-per-user.
    func runPlan(strategies: [String]) throws {
        let effect = try Self.parsePercent(mde, field: "--mde")
        let planned = try Experiment(name: experiment ?? "plan", strategies: strategies, control: control)
        let controlStrategy = planned.strategies[planned.arms.firstIndex(of: planned.control)!]
        let pilotSessions: [SessionMetrics]
        let pilotSource: String
        if let name = pilot {
            // Stored data: the control arm of an earlier experiment (or sessions of the control
            // strategy outside experiments), read without writing anything.
            let db = try database.openDatabase(mustExist: true)
            let stored = try db.sessionSummaries(SessionFilter(experiment: name == "-" ? nil : name))
                .filter { name == "-" ? $0.experiment == nil && $0.strategy == controlStrategy : $0.strategy == controlStrategy }
            guard stored.count >= 2 else {
                throw InputError(file: db.path, field: "--pilot", value: name,
                                 "no stored sessions of \(controlStrategy) to plan from" + (name == "-" ? " outside experiments" : " in that experiment"))
            }
            pilotSessions = stored.map { SessionMetrics(user: $0.user, length: $0.length, plays: $0.plays, skips: $0.skips) }
            pilotSource = "stored " + (name == "-" ? "sessions outside experiments" : "experiment \(name)")
        } else {
            let needsLists = try SimulatedStrategyNames.requireDatabase(for: [controlStrategy], field: "--arms", database: database)
            let world = try self.world.load(users: runOptions.users)
            let lists = needsLists ? try database.openDatabase(mustExist: true) : nil
            let pilotPlan = SimulationPlan(users: runOptions.users, sessionsPerUser: runOptions.sessions, seed: runOptions.seed,
                                           threads: runOptions.threads(for: [controlStrategy]), experiment: nil,
                                           arms: [SimulationArm(name: controlStrategy,
                                                                recommender: try SimulatorStrategies.make([controlStrategy], world: world, database: nil,
                                                                                                      lists: lists)[0])],
                                           assignment: { _ in 0 })
            pilotSessions = try HeadlessSimulator(world: world, plan: pilotPlan).run().sessions.map {
                SessionMetrics(user: $0.user, length: $0.length, plays: Int($0.plays), skips: Int($0.skips))
            }
            pilotSource = "simulated, seed \(runOptions.seed)"
        }
        let power = PowerPlan(pilot: pilotSessions)
        let perUser = Array(Set([1, 5, 10, 20, runOptions.sessions])).sorted()
        if json {
            struct Row: Encodable { var sessionsPerUser: Int; var usersPerArm: Int?; var users: Int? }
            struct Plan: Encodable { var mde: Double; var alpha: Double; var power: Double; var arms: [String]; var pilot: PowerPlan; var rows: [Row] }
            let rows = perUser.map { k in
                let n = power.usersPerArm(mde: effect, sessionsPerUser: k)
                return Row(sessionsPerUser: k, usersPerArm: n, users: n.map { $0 * planned.arms.count })
            }
            print(try StatsReport.json(Plan(mde: effect, alpha: 0.05, power: RatioComparison.power, arms: planned.arms,
                                            pilot: power, rows: rows)))
            return
        }
        print("plan: detect a change of ±\(Self.format(effect * 100))% in mean session length between \(planned.arms.joined(separator: ", ")) "
              + "(two-sided, α 0.05, power 80%, unit: user)")
        print("pilot (\(pilotSource)): \(power.pilotUsers) users, \(power.pilotSessions) sessions of \(controlStrategy): "
              + "mean \(String(format: "%.3f", power.mean)), between-user variance \(String(format: "%.3f", power.betweenUserVariance)), "
              + "within-user \(String(format: "%.3f", power.withinUserVariance)), intra-class correlation \(String(format: "%.2f", power.intraClassCorrelation))")
        let rows = perUser.map { k -> [String] in
            let n = power.usersPerArm(mde: effect, sessionsPerUser: k)
            return [String(k), n.map(String.init) ?? "-", n.map { String($0 * planned.arms.count) } ?? "-"]
        }
        print(StatsReport.render([["sessions/user", "users per arm", "users in all"]] + rows, rightAligned: [0, 1, 2]),
              terminator: "")
    }

    /// "5%", "5" and "2.5%" mean percent; the result is a fraction.
    static func parsePercent(_ text: String, field: String) throws -> Double {
        let number = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0, value < 1000 else {
            throw InputError(field: field, value: text, "expected a positive percentage such as 5%")
        }
        return value / 100
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%g", x)
    }
}
