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
        --retrain, then trains every trainable strategy (\(StrategyRegistry.standard.trainableNames.joined(separator: ", ")), \
        and ranker when it is the strategy) on all logged sessions so far, stores the models, and reloads the strategy for the next day. \
        With --returning, users come back on days of their own (botify's returning-listener model), \
        and a run of two or more days ends with a per-day table, catalog health and the total \
        listening per user over the run (--csv and --svg write them to files).
        """)

    @Option(help: "Strategy that recommends every next track (e.g. random, sticky-artist, als, oracle).")
    var strategy = "random"

    @OptionGroup var runOptions: RunOptions
    @OptionGroup(title: "Remote strategies (--strategy http://HOST:PORT)") var remote: RemoteOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup var database: DatabaseOptions

    @OptionGroup(title: "Days") var dayOptions: DayOptions

    @OptionGroup(title: "Retraining (with --retrain)") var model: ModelFlags

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Option(parsing: .unconditional,
            help: "Plays per committed batch (one transaction each; a session is never split), 1…\(SizeLimits.batchPlays.grouped).")
    var batchPlays = 100_000

    /// Called while parsing: bad flags and unknown strategies are refused before anything is
    /// built, opened or written.
    func validate() throws {
        try remote.validate()
        try runOptions.validate()
        try SizeLimits.check(batchPlays, "--batch-plays", 1...SizeLimits.batchPlays)
        try dayOptions.validate(runOptions, strategies: [strategy])
        try SimulatedStrategyNames.check(strategy, field: "--strategy")
    }

    func run() throws {
        try reportingErrors {
            try validate()
            let trainingOptions = try model.options(seed: TrainingOptions().seed, threads: runOptions.threads)
            let needsLists = try SimulatedStrategyNames.requireDatabase(for: [strategy], field: "--strategy", database: database)
            var db: BotifyDatabase?
            let loaded = try self.world.prepare(users: runOptions.users) {
                if runOptions.noLog { return .readOnly(path: database.path) }
                let opened = try database.openDatabase()
                db = opened
                return .readWrite(opened)
            }
            let world = loaded.world
            let lists = try db ?? (needsLists ? database.openDatabase(mustExist: true) : nil)
            let cycle = DayCycle(options: dayOptions, run: runOptions, strategies: [strategy], experiment: nil,
                                 batchPlays: batchPlays, quiet: json)
            if !json { SimulationConsole.printWorld(loaded) }
            let outcome = try cycle.run(world: world, worldID: loaded.worldID, database: db, lists: lists,
                                        trainingOptions: trainingOptions) { day, result, trained in
                if !json { print(Self.dayLine(day, result, strategy: strategy, trained)); fflush(nil) }
            }
            let total = outcome.total
            var title = "strategy \(strategy)"
            if strategy == OracleRecommender.strategyName { title += " — \(OracleRecommender.label)" }
            let report = StatsReport(run: total, title: title, group: strategy)
            if let db, let longTerm = outcome.longTerm {
                try db.longTermRuns.save(DayCycle.stored(longTerm, command: "simulate", experiment: nil, run: runOptions,
                                                         options: dayOptions, outcome: outcome))
            }
            if let longTerm = outcome.longTerm { try DayCycle.writeFiles(longTerm, options: dayOptions) }
            if json {
                print(try DayCycle.json(report, outcome.longTerm))
                for line in RemoteOptions.summaryLines() { printError(line) }
                return
            }
            SimulationConsole.printSummary(total, options: runOptions, threads: runOptions.threads(for: [strategy]))
            print(report.table(), terminator: "")
            if let longTerm = outcome.longTerm { print("\n" + longTerm.table(), terminator: "") }
            for line in RemoteOptions.summaryLines() { print(line) }
            if let db, let ids = outcome.sessionIDs {
                print("logged to \(db.path): session ids \(ids.lowerBound)–\(ids.upperBound)")
            } else if db == nil {
                print("not logged (--no-log)")
            }
        }
    }

    /// "day 2: 2000 sessions, mean length 12.31 [11.90, 12.72] (95% CI over users); retrained top-pop 0.01 s, …"
    /// `strategy` nil (an experiment's day): sessions and users only, the arms are compared at the end.
    static func dayLine(_ day: Int, _ result: SimulationResult, strategy: String?, _ trained: [StoredModel]) -> String {
        var line = "day \(day): \(result.sessions.count) sessions"
        if let strategy {
            let length = StatsReport(run: result, title: "", group: strategy).groups[0].length
            line += ", mean length " + String(format: "%.2f [%.2f, %.2f] (95%% CI over users)", length.value, length.ciLow, length.ciHigh)
        } else {
            line += " from \(Set(result.sessions.map(\.user)).count) users"
        }
        if !trained.isEmpty {
            line += "; retrained " + trained.map { "\($0.model.strategy) \(String(format: "%.2f", $0.model.trainingSeconds)) s" }
                .joined(separator: ", ")
        }
        return line
    }
}
