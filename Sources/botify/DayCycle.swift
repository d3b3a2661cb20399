import ArgumentParser
import Core
import Experiments
import Foundation
import Ranking
import Recommenders
import Simulator
import Storage

/// Flags of multi-day runs, shared by `simulate` and `ab`.
struct DayOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Simulated days, one after the other, 1…\(SizeLimits.days.grouped); --days × --users × --sessions is at most \(SizeLimits.runSessions.grouped).")
    var days = 1

    @Flag(help: "After each day (or every --retrain-every days), train every trainable strategy on all logged sessions; the next day serves the new models.")
    var retrain = false

    @Option(name: .customLong("retrain-every"), parsing: .unconditional, help: "With --retrain: retrain after every N-th day (default 1).")
    var retrainEvery = 1

    @Flag(help: "With --retrain: keep the log in memory and read only each day's new sessions; update i2i's co-listening counts with them (the same model as a recount) and warm-start als from the previous night's factors with --warm-iterations sweeps (an approximation; docs/LONG-TERM.md measures it).")
    var incremental = false

    @Option(name: .customLong("warm-iterations"), parsing: .unconditional, help: "With --incremental: als sweeps after a warm start (default 3; the first night trains from scratch with --iterations).")
    var warmIterations: Int?

    @Flag(help: "Returning listeners (botify's model, docs/LONG-TERM.md): after each day a user comes back after a delay that shortens when their sessions went better than usual and lengthens with fatigue, or churns. Without it every user comes every day, as in the course's day cycle.")
    var returning = false

    @Option(name: .customLong("return-rate"), parsing: .unconditional, help: "With --returning: returns per day after a typical day (λ₀, default 0.7).")
    var returnRate: Double?

    @Option(name: .customLong("return-sensitivity"), parsing: .unconditional, help: "With --returning: how strongly the return rate follows the day's length relative to the user's typical one (β, default 2).")
    var returnSensitivity: Double?

    @Option(parsing: .unconditional, help: "With --returning: how much each extra day in a row lowers the return rate (φ, default 0.1).")
    var fatigue: Double?

    @Option(parsing: .unconditional, help: "With --returning: churn probability after a typical day (q₀, default 0.02).")
    var churn: Double?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Interest drift (botify's model, docs/LONG-TERM.md): each night a user's session embedding moves this share of the way (0…1) toward the mean of the tracks they heard fully that day. Needs --days 2 or more.", valueName: "RATE"))
    var drift: Double?

    @Option(help: ArgumentHelp("With --days > 1: write every day's figures per arm as CSV to FILE.", valueName: "FILE"))
    var csv: String?

    @Option(help: ArgumentHelp("With --days > 1: write retention, listening and coverage charts as SVG to FILE.", valueName: "FILE"))
    var svg: String?

    /// The return model the flags ask for; nil without --returning.
    var returnModel: ReturnModel? {
        guard returning else { return nil }
        var model = ReturnModel()
        if let returnRate { model.baseRate = returnRate }
        if let returnSensitivity { model.sensitivity = returnSensitivity }
        if let fatigue { model.fatigue = fatigue }
        if let churn { model.baseChurn = churn }
        return model
    }

    var interestDrift: InterestDrift? { drift.map(InterestDrift.init(rate:)) }

    func validate(_ run: RunOptions, strategies: [String] = []) throws {
        try SizeLimits.check(days, "--days", 1...SizeLimits.days)
        try SizeLimits.checkRunSessions([("--days", days), ("--users", run.users), ("--sessions", run.sessions)])
        try SizeLimits.check(retrainEvery, "--retrain-every", 1...SizeLimits.days)
        if let warmIterations {
            guard incremental else { throw InputError(field: "--warm-iterations", value: String(warmIterations), "needs --incremental") }
            try SizeLimits.check(warmIterations, "--warm-iterations", 0...ModelFlags.maxIterations)
        }
        if incremental && !retrain { throw InputError(field: "--incremental", "needs --retrain") }
        if retrain && run.noLog {
            throw InputError(field: "--retrain", "trains on the logged sessions, so it cannot run with --no-log")
        }
        let modelFlags: [(String, Double?, ClosedRange<Double>)] = [
            ("--return-rate", returnRate, 0...1_000), ("--return-sensitivity", returnSensitivity, 0...100),
            ("--fatigue", fatigue, 0...100), ("--churn", churn, 0...1),
        ]
        for (flag, value, range) in modelFlags {
            guard let value else { continue }
            guard returning else { throw InputError(field: flag, value: Self.text(value), "needs --returning") }
            guard value.isFinite, range.contains(value) else {
                throw InputError(field: flag, value: Self.text(value), "must be \(Self.text(range.lowerBound))…\(Self.text(range.upperBound))")
            }
        }
        if returning && run.traffic == .course {
            throw InputError(field: "--traffic", value: "course",
                             "returning listeners decide who comes each day; course traffic draws users with replacement instead")
        }
        if let drift {
            guard drift.isFinite, (0...1).contains(drift) else {
                throw InputError(field: "--drift", value: Self.text(drift), "must be 0…1")
            }
            guard days > 1 else { throw InputError(field: "--drift", value: Self.text(drift), "needs --days 2 or more") }
            if strategies.contains(OracleRecommender.strategyName) {
                throw InputError(field: "--drift", value: Self.text(drift),
                                 "\(OracleRecommender.strategyName) knows the world's fixed tastes, not drifted ones")
            }
        }
        for (flag, path) in [("--csv", csv), ("--svg", svg)] {
            guard let path else { continue }
            guard days > 1 else { throw InputError(field: flag, value: path, "needs --days 2 or more") }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw InputError(field: flag, value: path, "no such directory: \(directory)")
            }
        }
    }

    static func text(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

/// A run of one or more days: each day simulates the users who come (everyone, or those the
/// return model brings back), logs them, and retrains on schedule; users keep their arm for the
/// whole run. Day 1 keeps --seed, so a one-day run is a plain run.
struct DayCycle {
    let options: DayOptions
    let run: RunOptions
    let strategies: [String]
    /// nil for `simulate` (one arm).
    let experiment: Experiment?
    let batchPlays: Int
    let quiet: Bool

    struct Outcome {
        var total: SimulationResult
        var worldID: Int64?
        var sessionIDs: ClosedRange<Int64>?
        var longTerm: LongTermReport?
    }

    /// `lists`: where imported recommendation lists are read (the run's database, or the one
    /// named by --db under --no-log).
    /// `worldID`: the world's row when the database already has it (the world cache stored it).
    func run(world: World, worldID: Int64?, database db: BotifyDatabase?, lists: BotifyDatabase?, trainingOptions: TrainingOptions,
             dayLine: (Int, SimulationResult, [StoredModel]) -> Void) throws -> Outcome {
        let model = options.returnModel
        let users = run.users
        var states = [ReturnState](repeating: ReturnState(typicalLength: model?.referenceLength ?? 0), count: users)
        let rowOfUser = Dictionary(uniqueKeysWithValues: world.users.ids.prefix(users).enumerated().map { ($1, $0) })
        // --incremental: every session logged so far, read once, and trainers that keep what they learned.
        var log: [ListeningSession] = []
        let incrementalTrainers: [String: any Trainer] = options.incremental
            ? [I2IRecommender.strategyName: IncrementalI2ITrainer(),
               ALSRecommender.strategyName: WarmStartALSTrainer(warmIterations: options.warmIterations ?? 3)] : [:]
        var drift = options.interestDrift.map { DriftState(world: world, users: users, drift: $0) }
        var firstPlan: SimulationPlan?
        var accumulator: LongTermAccumulator?
        var outcome = Outcome(total: SimulationResult(sessions: [], plays: 0, seconds: 0), worldID: worldID)
        for day in 1...options.days {
            var recommenders = run.rankerRules.apply(try SimulatorStrategies.make(strategies, world: world, database: db, lists: lists))
            var features: ServingFeatureLog?
            if run.logFeatures, let db {
                (recommenders, features) = try FeatureLogging.wrap(recommenders, world: world, database: db)
            }
            var plan: SimulationPlan
            let seed = Self.seed(run.seed, day: day)
            if let experiment {
                plan = experiment.plan(recommenders: recommenders, users: users, sessionsPerUser: run.sessions, seed: seed,
                                       threads: run.threads(for: strategies))
            } else {
                plan = SimulationPlan(users: users, sessionsPerUser: run.sessions, seed: seed, threads: run.threads(for: strategies),
                                      arms: [SimulationArm(name: strategies[0], recommender: recommenders[0])])
            }
            plan.traffic = run.traffic
            plan.measuresExposure = options.days > 1
            plan.drift = drift?.snapshot
            if model != nil {
                plan.counts = states.map { $0.isActive(on: day) ? Int32(run.sessions) : 0 }
            }
            if firstPlan == nil {
                firstPlan = plan
                let assignment = plan.assignment
                accumulator = LongTermAccumulator(
                    arms: experiment?.arms ?? strategies, control: experiment.map { $0.arms.firstIndex(of: $0.control)! },
                    armOfUser: world.users.ids.prefix(users).map { assignment($0) }, catalog: world.catalog)
            }
            let simulator = HeadlessSimulator(world: world, plan: plan)
            let today = try SimulationConsole.run(simulator, database: db, quiet: quiet, batchPlays: batchPlays,
                                                 storedWorld: outcome.worldID, features: features)
            outcome.worldID = today.worldID
            if let new = today.sessionIDs {
                outcome.sessionIDs = (outcome.sessionIDs?.lowerBound ?? new.lowerBound)...new.upperBound
            }
            if options.days > 1 {
                accumulator!.add(day: day, sessions: today.result.sessions, exposure: today.result.exposure,
                                 rowOfUser: { rowOfUser[$0]! })
            }
            if let model {
                var lengths = [Int: (sum: Double, count: Double)]()
                for s in today.result.sessions {
                    let row = rowOfUser[s.user]!
                    lengths[row, default: (0, 0)].sum += s.length
                    lengths[row, default: (0, 0)].count += 1
                }
                // Each user's own stream: the order of this loop cannot change a draw.
                for (row, ofUser) in lengths {
                    var rng = ReturnModel.stream(seed: run.seed, user: row, day: day)
                    model.afterDay(&states[row], day: day, meanLength: ofUser.sum / ofUser.count, using: &rng)
                }
            }
            drift?.apply(today.result.pulls, threads: max(1, run.threads))
            var trained: [StoredModel] = []
            if options.retrain, let db, day % options.retrainEvery == 0 {
                let sessions: [ListeningSession]
                if options.incremental {
                    let after = log.last.map { ($0.sessionID + 1)...Int64.max }
                    log += try db.sessions(matching: InteractionFilter(sources: Set(ListenerSource.allCases), sessionIDs: after))
                    sessions = log
                } else {
                    sessions = try db.sessions(matching: InteractionFilter(sources: Set(ListenerSource.allCases)))
                }
                let service = ModelService(store: db)
                // Every trainable strategy, as the course's day cycle retrains its models; the
                // ranker (which trains its own generators and builds features from the log, the
                // slow one) only when an arm serves it. With --log-features the ranker learns from
                // the vectors logged so far (the newest feature set), before the generators'
                // new models exist, so it keeps serving with the ones that computed them.
                let registry = StrategyRegistry.withRanker()
                let logged = run.logFeatures ? try FeatureLogging.newestRows(db, catalog: world.catalog) : nil
                if let logged, strategies.contains(RankerStrategy.name) {
                    trained.append(try service.train(RankerStrategy.strategy(logged: logged.rows), sessions: sessions,
                                                     catalog: world.catalog, options: trainingOptions))
                }
                for name in registry.trainableNames where name != RankerStrategy.name || (strategies.contains(name) && logged == nil) {
                    if let trainer = incrementalTrainers[name] {
                        trained.append(try service.train(trainer, sessions: sessions, catalog: world.catalog, options: trainingOptions))
                    } else {
                        trained.append(try service.train(registry.strategy(named: name), sessions: sessions,
                                                         catalog: world.catalog, options: trainingOptions))
                    }
                }
            }
            if options.days > 1 || options.retrain { dayLine(day, today.result, trained) }
            outcome.total.sessions += today.result.sessions
            outcome.total.plays += today.result.plays
            outcome.total.seconds += today.result.seconds
        }
        if options.days > 1, let accumulator {
            var churned = Array(repeating: 0, count: accumulator.arms.count)
            for (row, state) in states.enumerated() where state.churned { churned[accumulator.armOfUser[row]] += 1 }
            let title = experiment.map { "experiment \($0.name), long term" } ?? "strategy \(strategies[0]), long term"
            outcome.longTerm = accumulator.report(title: title, days: options.days,
                                                  returning: (model.map(Self.describe) ?? "every user every day")
                                                      + (options.drift.map { "; interest drift \(DayOptions.text($0))" } ?? ""),
                                                  churned: churned)
        }
        return outcome
    }

    /// Day 1 keeps --seed (a one-day run is a plain run); later days mix in the day number.
    static func seed(_ seed: UInt64, day: Int) -> UInt64 {
        guard day > 1 else { return seed }
        var h = StableHash()
        h.combine(Int64(bitPattern: seed))
        h.combine(Int64(day))
        return h.value
    }

    static func describe(_ m: ReturnModel) -> String {
        "returning (rate \(DayOptions.text(m.baseRate))/day, sensitivity \(DayOptions.text(m.sensitivity)), "
            + "fatigue \(DayOptions.text(m.fatigue)), churn \(DayOptions.text(m.baseChurn)))"
    }

    /// `--json`: the session report alone for one day; with the long-term report for more
    /// (`{"long_term": …, "report": …}`).
    static func json(_ report: StatsReport, _ longTerm: LongTermReport?) throws -> String {
        guard let longTerm else { return try report.json() }
        return "{\n\"long_term\" : " + (try longTerm.json()) + ",\n\"report\" : " + (try report.json()) + "\n}"
    }

    /// The finished run's report as the database keeps it: what ran (the command, the run's
    /// sizes, seed and day options) and every day of every arm.
    static func stored(_ report: LongTermReport, command: String, experiment: String?, run: RunOptions, options: DayOptions,
                       outcome: Outcome) -> LongTermRun {
        let model = options.returnModel
        let flags = LongTermOptions(retrainEvery: options.retrain ? options.retrainEvery : nil, incremental: options.incremental,
                                    warmIterations: options.incremental ? (options.warmIterations ?? 3) : nil,
                                    returnRate: model?.baseRate, returnSensitivity: model?.sensitivity,
                                    fatigue: model?.fatigue, churn: model?.baseChurn, drift: options.drift)
        let header = LongTermRun(command: command, experiment: experiment, title: report.title, arms: [], control: nil,
                                 days: report.days, users: run.users, sessionsPerUser: run.sessions, traffic: run.traffic.rawValue,
                                 seed: run.seed, worldID: outcome.worldID, sessionIDs: outcome.sessionIDs, options: flags,
                                 listeners: report.returning, method: report.method, createdAt: Date().timeIntervalSince1970,
                                 daily: [], totals: [])
        return report.stored(header)
    }

    /// Writes what --csv and --svg ask for, each atomically.
    static func writeFiles(_ report: LongTermReport, options: DayOptions) throws {
        if let csv = options.csv { try AtomicFile.write(to: csv) { try $0(Array(report.csv().utf8)) } }
        if let svg = options.svg { try AtomicFile.write(to: svg) { try $0(Array(report.svg().utf8)) } }
    }
}
