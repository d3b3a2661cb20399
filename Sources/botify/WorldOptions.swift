import ArgumentParser
import Core
import Foundation
import Ranking
import Recommenders
import RemoteStrategies
import Simulator
import Storage

#if canImport(Glibc)
import Glibc
#endif

/// Which simulated world a command runs in: an imported course world (`--world DIR`), or one
/// generated from the catalog and `--world-seed`.
struct WorldOptions: ParsableArguments {
    @Option(name: .customLong("world"), help: ArgumentHelp(
        "A course-format world directory (tracks.json, embeddings.npy, users.json) instead of a generated one.",
        valueName: "dir"))
    var worldDirectory: String?

    @Option(name: .customLong("world-seed"), parsing: .unconditional, help: "Seed of the generated world (hidden tastes and users).")
    var worldSeed: UInt64 = 0

    @OptionGroup var catalogOptions: CatalogOptions

    /// The world of the first `users` users, computed afresh (no database, so no cache).
    func load(users: Int) throws -> World {
        try LoadedWorld.prepare(try read(users: users), users: users, readSeconds: .zero, cache: .none(nil)).world
    }

    static func format(_ duration: Duration) -> String {
        return String(format: "%.2f s", duration.seconds)
    }

    /// One line naming the world, for summaries.
    static func describe(_ world: World) -> String {
        describe(config: world.config, catalog: world.catalog, users: world.users.count)
    }

    static func describe(_ world: CourseWorldFiles.Contents) -> String {
        describe(config: world.config, catalog: world.catalog, users: world.users.count)
    }

    static func describe(config c: WorldConfig, catalog: Catalog, users: Int) -> String {
        let origin = c.origin == "generated" ? "generated world (seed \(c.seed))" : "world from \(c.origin)"
        return "\(origin): \(catalog.count) tracks, \(users) users, D=\(c.dimensions), catalog \(catalog.source)"
    }
}

/// The largest sizes the command line accepts, checked while the flags are parsed, before
/// anything is read or written. A run keeps one small record per session in memory (about
/// 40 bytes) and a generated world about 1 KB per user, so these bound a run to a few GB.
enum SizeLimits {
    /// `--users` of simulate, ab and world export.
    static let users = 1_000_000
    /// `--sessions` per user.
    static let sessions = 100_000
    /// `--days`.
    static let days = 1_000
    /// Sessions of one run in all: --users × --sessions (× --days).
    static let runSessions = 10_000_000
    /// `--threads`.
    static let threads = 1_024
    /// `--batch-plays`.
    static let batchPlays = 10_000_000

    /// Throws an `InputError` naming `flag` and `value` unless `range` holds it.
    static func check(_ value: Int, _ flag: String, _ range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw InputError(field: flag, value: String(value),
                             "must be \(range.lowerBound.grouped)…\(range.upperBound.grouped)")
        }
    }

    /// The product of `factors` (flag name, value), refused above `runSessions` without overflowing.
    static func checkRunSessions(_ factors: [(String, Int)]) throws {
        var product = 1
        for (_, value) in factors {
            let (p, overflow) = product.multipliedReportingOverflow(by: max(value, 0))
            product = overflow ? Int.max : p
        }
        guard product <= runSessions else {
            let names = factors.map(\.0).joined(separator: " × ")
            let values = factors.map { String($0.1) }.joined(separator: " × ")
            throw InputError(field: names, value: values,
                             "a run has at most \(runSessions.grouped) sessions in all")
        }
    }
}

extension Int {
    /// 1000000 → "1,000,000", for limits in messages and help.
    var grouped: String {
        let digits = Array(String(magnitude))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (self < 0 ? "-" : "") + out
    }
}

/// Flags shared by `simulate` and `ab`.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Simulated users (the first N of the world's population), 1…\(SizeLimits.users.grouped).")
    var users = 10_000

    @Option(parsing: .unconditional,
            help: "Sessions per user, 1…\(SizeLimits.sessions.grouped); --users × --sessions is at most \(SizeLimits.runSessions.grouped).")
    var sessions = 10

    @Option(parsing: .unconditional, help: "Seed of the sessions (same seed, same sessions, whatever --threads is).")
    var seed: UInt64 = 0

    @Option(name: .customLong("threads"), parsing: .unconditional,
            help: "Worker threads, 1…\(SizeLimits.threads). Default: the number of cores (one fewer when the run is logged, leaving a core to the database writer, unless a strategy is ranker or oracle), and at least \(RemoteOptions.minimumThreads) when a strategy is remote (each thread has one call in flight).")
    var threadsFlag: Int?

    /// The threads of a run without a remote strategy.
    var threads: Int { threadsFlag ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The simulation threads of a run: --threads; else, with a remote strategy among
    /// `strategies`, enough threads to keep several calls in flight; else the cores, one fewer
    /// when the run is logged and no strategy is `simulationBound`. A logged run is then bound
    /// by the one SQLite writer thread (about 0.85 µs of CPU per play against the simulator's
    /// 0.25), and a simulation thread on every core takes its time slices from the writer: on
    /// 2 cores, 1 simulation thread logged 1.13–1.26M plays/s where 2 logged 0.97–1.21M
    /// (BENCHMARKS.md, 2026-12-04). The result
    /// does not depend on the thread count (given a remote service whose answers depend only on
    /// each user's own calls).
    func threads(for strategies: [String]) -> Int {
        if let threadsFlag { return threadsFlag }
        if strategies.contains(where: { RemoteStrategyResolver.owns($0) }) { return max(threads, RemoteOptions.minimumThreads) }
        return noLog || strategies.contains(where: Self.simulationBound.contains) ? threads : max(1, threads - 1)
    }

    /// Strategies whose picks cost far more than the writer's 0.85 µs per play (the ranker about
    /// 1 ms, oracle a scan of the catalog): with them the simulation, not the writer, bounds a
    /// logged run, so it keeps every core.
    static let simulationBound: Set<String> = [RankerStrategy.name, OracleRecommender.strategyName]

    @Flag(name: .customLong("no-log"), help: "Do not write sessions to the database (measure the simulator alone).")
    var noLog = false

    @Flag(name: .customLong("log-features"),
          help: "Also store, for every recommended play, the ranker's feature vector for it as computed when it was served (docs/RANKER.md); 'train ranker --from-logged-features' learns from them. Costs throughput.")
    var logFeatures = false

    @OptionGroup(title: "Ranker rules") var rankerRules: RankerRuleFlags

    @Option(help: ArgumentHelp("How sessions are spread over users: 'per-user' gives each of the --users exactly --sessions "
                               + "sessions; 'course' draws the user of each of the --users × --sessions sessions uniformly "
                               + "with replacement, as the course simulator does (seeded by --seed, the same whatever --threads is).",
                               valueName: "per-user|course"))
    var traffic: Traffic = .perUser

    /// Called while parsing (and again by the commands): every size within its limit, the
    /// product too, before any world is built or database opened.
    func validate() throws {
        try SizeLimits.check(users, "--users", 1...SizeLimits.users)
        try SizeLimits.check(sessions, "--sessions", 1...SizeLimits.sessions)
        try SizeLimits.check(threads, "--threads", 1...SizeLimits.threads)
        try SizeLimits.checkRunSessions([("--users", users), ("--sessions", sessions)])
        try rankerRules.validate()
        if logFeatures && noLog { throw InputError(field: "--log-features", "stores features beside the logged plays, so it cannot run with --no-log") }
    }
}

/// Runs a simulation with a progress bar on a terminal, or with plain lines (one per
/// simulated block and one per committed batch) when the output is piped.
enum SimulationConsole {
    static var interactive: Bool { isatty(1) == 1 && isatty(2) == 1 }

    /// The world line `simulate` and `ab` print before they run, so that it comes before the
    /// per-batch lines of a piped run.
    static func printWorld(_ loaded: LoadedWorld) {
        print(WorldOptions.describe(loaded.world) + "; " + loaded.provenance)
        fflush(nil)
    }

    /// The line `simulate` and `ab` print after a run: sessions, plays and speed.
    static func printSummary(_ result: SimulationResult, options: RunOptions, threads: Int) {
        print("\(result.sessions.count) sessions, \(result.plays) plays in \(String(format: "%.3f", result.seconds)) s: "
              + "\(formatRate(result.playsPerSecond)) plays/s on \(threads) thread\(threads == 1 ? "" : "s")" + trafficNote(options.traffic))
    }

    /// Appended to the "N sessions, P plays" line: nothing for the default traffic.
    static func trafficNote(_ traffic: Traffic) -> String {
        traffic == .course ? "; course traffic (each session drew its user with replacement)" : ""
    }

    /// Stores the world first unless `storedWorld` already names its row (a later day of one run).
    static func run(_ simulator: HeadlessSimulator, database: BotifyDatabase?, quiet: Bool = false, batchPlays: Int = 100_000,
                    storedWorld: Int64? = nil, features: ServingFeatureLog? = nil) throws
        -> (result: SimulationResult, worldID: Int64?, sessionIDs: ClosedRange<Int64>?) {
        let world = simulator.world
        var worldID = storedWorld
        var writer: BatchSessionWriter?
        var featureWriter: LoggedFeatureWriter?
        let ids = IDRange()
        let interactive = self.interactive
        if let database {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let config = String(decoding: try encoder.encode(world.config), as: UTF8.self)
            worldID = try worldID ?? database.worlds.save(config: config, catalogFingerprint: world.catalog.fingerprint,
                                               at: Date().timeIntervalSince1970)
            featureWriter = try features.map { try LoggedFeatureWriter(log: $0, database: database, catalog: world.catalog) }
            let onFeatures = featureWriter
            writer = BatchSessionWriter(database: database, worldID: worldID, catalogFingerprint: world.catalog.fingerprint,
                                        batchPlays: batchPlays) { commit in
                ids.note(commit.sessionIDs)
                onFeatures?.committed(commit)
                if !interactive && !quiet {
                    print("committed batch \(commit.batch): \(commit.sequence.count) sessions, \(commit.plays) plays "
                          + "(session ids \(commit.sessionIDs.lowerBound)–\(commit.sessionIDs.upperBound))")
                    fflush(nil)
                }
            }
        }
        let sink: (any SessionSink)? = featureWriter.flatMap { f in writer.map { f.sink(wrapping: $0) } } ?? writer
        let result = try simulator.run(sink: sink) { p in
            guard !quiet else { return }
            let rate = p.seconds > 0 ? Double(p.plays) / p.seconds : 0
            if interactive {
                let width = 30
                let filled = p.sessionsTotal == 0 ? width : width * p.sessionsDone / p.sessionsTotal
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                writeStandardError("\r\(bar) \(p.sessionsDone)/\(p.sessionsTotal) sessions, \(formatRate(rate)) plays/s\u{1B}[K")
            } else {
                print("simulated \(p.sessionsDone)/\(p.sessionsTotal) sessions, \(p.plays) plays")
                fflush(nil)
            }
        }
        try writer?.close()
        try featureWriter?.finish()
        if interactive && !quiet { writeStandardError("\r\u{1B}[K") }
        return (result, worldID, ids.range)
    }

    /// The progress bar redraws one line, so no newline.
    static func writeStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }

    static func formatRate(_ rate: Double) -> String {
        rate >= 1e6 ? String(format: "%.2fM", rate / 1e6) : rate >= 1e3 ? String(format: "%.1fk", rate / 1e3)
            : String(format: "%.0f", rate)
    }
}

/// Session ids committed so far, noted from the writer thread.
private final class IDRange: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var low: Int64?
    private var high: Int64?

    func note(_ ids: ClosedRange<Int64>) {
        lock.withLock {
            low = min(low ?? ids.lowerBound, ids.lowerBound)
            high = max(high ?? ids.upperBound, ids.upperBound)
        }
    }

    var range: ClosedRange<Int64>? { lock.withLock { low.flatMap { l in high.map { l...$0 } } } }
}

extension Traffic: ExpressibleByArgument {}

/// Strategy names of simulated runs, checked before any world is built or database opened:
/// the standard registry's and `oracle` (`SimulatorStrategies.registry`, which needs a world).
/// Any other well-formed name may be a list imported into the database (`botify recs import`),
/// which `requireDatabase` and then `SimulatorStrategies.make` check.
enum SimulatedStrategyNames {
    static var builtIn: [String] { StrategyRegistry.withRanker().names + [OracleRecommender.strategyName] }
    static var all: [String] { builtIn }

    static func check(_ name: String, field: String) throws {
        if RemoteStrategyResolver.owns(name) {
            // Checks the URL and that a service answers, before anything is opened or written.
            do { _ = try StrategyRegistry.standard.strategy(named: name) } catch var error as InputError {
                error.field = field
                throw error
            }
            return
        }
        guard all.contains(name) || mayBeImported(name) else {
            throw InputError(field: field, value: name, "unknown strategy; valid: \(all.joined(separator: ", ")) or http://HOST:PORT (a remote recommender)")
        }
    }

    static func mayBeImported(_ name: String) -> Bool {
        !builtIn.contains(name) && (try? ListStrategies.checkName(name)) != nil
    }

    /// Before anything is built or opened: a name that is not built in can only be an imported
    /// list, so the database must exist (a typo creates no file). True if some name needs it.
    static func requireDatabase(for names: [String], field: String, database: DatabaseOptions) throws -> Bool {
        guard let name = names.first(where: mayBeImported) else { return false }
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw InputError(field: field, value: name,
                             "unknown strategy (no imported list either: there is no database at \(database.path)); valid: \(all.joined(separator: ", "))")
        }
        // Names are checked now, before a world is built; the catalog is checked once it is.
        let stored = try database.openDatabase(mustExist: true).recommendationLists().map(\.name)
        for name in names where mayBeImported(name) && !stored.contains(name) {
            throw InputError(field: field, value: name, "unknown strategy; valid: \((all + stored).joined(separator: ", "))")
        }
        return true
    }
}
