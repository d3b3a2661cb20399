import ArgumentParser
import Core
import Experiments
import Foundation
import Ranking
import Recommenders
import Simulator
import Storage

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run simulated listeners headless and log their sessions.",
        discussion: """
        Each (user, session) has its own random stream from --seed, so the stored sessions and \
        plays are the same whatever --threads is. --traffic course draws the user of every session \
        uniformly with replacement, as the course simulator does, instead of --sessions per user. Sessions are written in batched transactions \
        (source 'sim'); when the output is piped, one line is printed per committed batch. \
        'oracle' is an upper bound that knows the hidden tastes. \
        With --days D the run is the course simulator's day cycle: each day simulates --users × \
        --sessions (day 1 with --seed, day d with a seed derived from --seed and d) and, with \
        --retrain, then trains every trainable strategy (\(StrategyRegistry.withRanker().trainableNames.joined(separator: ", "))) \
        on all logged sessions so far, stores the models, and reloads the strategy for the next day.
        """)

    @Option(help: "Strategy that recommends every next track (e.g. random, sticky-artist, als, oracle).")
    var strategy = "random"

    @OptionGroup var runOptions: RunOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup var database: DatabaseOptions

    @Option(parsing: .unconditional,
            help: "Simulated days, one after the other, 1…\(SizeLimits.days.grouped); --days × --users × --sessions is at most \(SizeLimits.runSessions.grouped).")
    var days = 1

    @Flag(help: "After each day, train every trainable strategy on all logs so far and store the models.")
    var retrain = false

    @OptionGroup(title: "Retraining (with --retrain)") var model: ModelFlags

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(parsing: .unconditional,
            help: "Plays per committed batch (one transaction each; a session is never split), 1…\(SizeLimits.batchPlays.grouped).")
    var batchPlays = 100_000

    /// Called while parsing: bad flags and unknown strategies are refused before anything is
    /// built, opened or written.
    func validate() throws {
        try runOptions.validate()
        try SizeLimits.check(batchPlays, "--batch-plays", 1...SizeLimits.batchPlays)
        try SizeLimits.check(days, "--days", 1...SizeLimits.days)
        try SizeLimits.checkRunSessions([("--days", days), ("--users", runOptions.users), ("--sessions", runOptions.sessions)])
        if retrain && runOptions.noLog {
            throw InputError(field: "--retrain", "trains on the logged sessions, so it cannot run with --no-log")
        }
        try SimulatedStrategyNames.check(strategy, field: "--strategy")
    }

    func run() throws {
        try reportingErrors {
            try validate()
            let trainingOptions = try model.options(seed: TrainingOptions().seed, threads: runOptions.threads)
            let clock = ContinuousClock.now
            let world = try self.world.load(users: runOptions.users)
            let worldSeconds = clock.duration(to: .now)
            let db = runOptions.noLog ? nil : try database.openDatabase()
            var result: SimulationResult?
            var worldID: Int64?
            var ids: ClosedRange<Int64>?
            for day in 1...days {
                let recommender = try SimulatorStrategies.make([strategy], world: world, database: db)[0]
                let plan = SimulationPlan(users: runOptions.users, sessionsPerUser: runOptions.sessions,
                                          seed: Self.seed(runOptions.seed, day: day), threads: runOptions.threads,
                                          arms: [SimulationArm(name: strategy, recommender: recommender)],
                                          traffic: runOptions.traffic)
                let simulator = HeadlessSimulator(world: world, plan: plan)
                let run = try SimulationConsole.run(simulator, database: db, quiet: json, batchPlays: batchPlays,
                                                    storedWorld: worldID)
                worldID = run.worldID
                if let new = run.sessionIDs { ids = (ids?.lowerBound ?? new.lowerBound)...new.upperBound }
                var trained: [StoredModel] = []
                if retrain, let db {
                    let sessions = try db.sessions(matching: InteractionFilter(sources: Set(ListenerSource.allCases)))
                    let service = ModelService(store: db)
                    for name in StrategyRegistry.withRanker().trainableNames {
                        trained.append(try service.train(StrategyRegistry.withRanker().strategy(named: name), sessions: sessions,
                                                         catalog: world.catalog, options: trainingOptions))
                    }
                }
                if (days > 1 || retrain) && !json { print(Self.dayLine(day, run.result, strategy: strategy, trained)); fflush(nil) }
                if result == nil {
                    result = run.result
                } else {
                    result!.sessions += run.result.sessions
                    result!.plays += run.result.plays
                    result!.seconds += run.result.seconds
                }
            }
            let total = result!
            var title = "strategy \(strategy)"
            if strategy == OracleRecommender.strategyName { title += " — \(OracleRecommender.label)" }
            let report = StatsReport(run: total, title: title, group: strategy)
            if json {
                print(try report.json())
                return
            }
            SimulationConsole.printSummary(world: world, worldID: worldID, worldSeconds: worldSeconds, total,
                                           options: runOptions)
            print(report.table(), terminator: "")
            if let db, let ids {
                print("logged to \(db.path): session ids \(ids.lowerBound)–\(ids.upperBound)")
            } else if db == nil {
                print("not logged (--no-log)")
            }
        }
    }

    /// Day 1 keeps --seed (a one-day run is a plain run); later days mix in the day number.
    static func seed(_ seed: UInt64, day: Int) -> UInt64 {
        guard day > 1 else { return seed }
        var h = StableHash()
        h.combine(Int64(bitPattern: seed))
        h.combine(Int64(day))
        return h.value
    }

    /// "day 2: 2000 sessions, mean length 12.31 [11.90, 12.72] (95% CI over users); retrained top-pop 0.01 s, …"
    static func dayLine(_ day: Int, _ result: SimulationResult, strategy: String, _ trained: [StoredModel]) -> String {
        let length = StatsReport(run: result, title: "", group: strategy).groups[0].length
        var line = "day \(day): \(result.sessions.count) sessions, mean length " + String(format: "%.2f [%.2f, %.2f] (95%% CI over users)",
                                                                                   length.value, length.ciLow, length.ciHigh)
        if !trained.isEmpty {
            line += "; retrained " + trained.map { "\($0.model.strategy) \(String(format: "%.2f", $0.model.trainingSeconds)) s" }
                .joined(separator: ", ")
        }
        return line
    }
}
