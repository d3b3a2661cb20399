import ArgumentParser
import Core
import Dispatch
import Experiments
import Foundation
import Ranking
import Recommenders
import Server
import Storage

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a strategy (or an A/B experiment) over the course's HTTP protocol.",
        discussion: """
        Answers GET /, GET /track/<id>, POST /next/<user> and POST /last/<user> as the course's \
        botify service does (docs/PROTOCOL.md), so the course's simulator (its 'remote' agent) can \
        drive botify's strategies. Every call is stored as plays of a session (source 'remote'), \
        closed by /last or after --idle-timeout seconds without a call; with --experiment, users are \
        split over --arms by the course's murmur3 assignment. --log-jsonl also writes the course's \
        JSON-lines data log. SIGTERM or SIGINT stops it after committing every call. Trained models \
        are the newest in --db for this catalog, as simulate uses them.
        """)

    @Option(help: "Strategy that answers every /next (default random; not with --experiment).")
    var strategy: String?

    @Option(help: "Experiment name: users are split over --arms as the course's experiment.py splits them.")
    var experiment: String?

    @Option(help: ArgumentHelp("Comma-separated strategies, arm 0 (treatment C) first, then T1, T2, … (2 to 10).",
                               valueName: "A,B[,…]"))
    var arms: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on, 0…65535 (0 picks a free one and prints it).")
    var port = 5001

    @Option(name: .customLong("log-jsonl"), help: ArgumentHelp("Also append the course's JSON-lines data log to this file.",
                                                                valueName: "FILE"))
    var logJSONL: String?

    @Option(name: .customLong("idle-timeout"), parsing: .unconditional,
            help: "Seconds without a call after which a user's session is closed and stored, 0.1…86400.")
    var idleTimeout = 300.0

    @Option(help: "Random seed; each user's picks follow their own stream of it.")
    var seed: UInt64 = 0

    @Option(parsing: .unconditional,
            help: "Event-loop threads answering calls, 1…\(SizeLimits.threads) (each connection stays on one). Default: the number of cores.")
    var threads: Int?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalogOptions: CatalogOptions

    /// The strategies to serve, arm order; bad combinations and names are refused while parsing.
    func armNames() throws -> [String] {
        if let experiment {
            if strategy != nil { throw InputError(field: "--strategy", "cannot be combined with --experiment (give the strategies as --arms)") }
            guard !experiment.isEmpty else { throw InputError(field: "--experiment", "the experiment name is empty") }
            guard let arms else { throw InputError(field: "--experiment", "needs --arms A,B[,…]") }
            let names = arms.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (2...10).contains(names.count) else {
                throw InputError(field: "--arms", value: arms, "an experiment has 2 to 10 arms (treatments C, T1 … T9)")
            }
            return names
        }
        if arms != nil { throw InputError(field: "--arms", "needs --experiment NAME") }
        return [strategy ?? "random"]
    }

    func validate() throws {
        let registry = StrategyRegistry.withRanker()
        for name in try armNames() {
            guard registry.names.contains(name) else {
                throw InputError(field: experiment == nil ? "--strategy" : "--arms", value: name,
                                 "unknown strategy; valid: \(registry.names.joined(separator: ", "))")
            }
        }
        guard (0...65_535).contains(port) else { throw InputError(field: "--port", value: String(port), "must be 0…65535") }
        guard idleTimeout.isFinite, (0.1...86_400).contains(idleTimeout) else {
            throw InputError(field: "--idle-timeout", value: String(idleTimeout), "must be 0.1…86400 seconds")
        }
        guard !host.isEmpty else { throw InputError(field: "--host", "the address is empty") }
        if let threads, !(1...SizeLimits.threads).contains(threads) {
            throw InputError(field: "--threads", value: String(threads), "must be 1…\(SizeLimits.threads)")
        }
        if let logJSONL { try Self.checkWritable(logJSONL) }
    }

    /// The log file must be creatable before anything is opened, so a bad path writes nothing.
    static func checkWritable(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw InputError(file: path, "--log-jsonl names a directory") }
            guard FileManager.default.isWritableFile(atPath: path) else { throw InputError(file: path, "--log-jsonl is not writable") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        let dir = parent.isEmpty ? "." : parent
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: path, "--log-jsonl: no such directory \(dir)")
        }
        guard FileManager.default.isWritableFile(atPath: dir) else { throw InputError(file: path, "--log-jsonl: directory \(dir) is not writable") }
    }

    func run() throws {
        try reportingErrors {
            try validate()
            let names = try armNames()
            let catalog = try catalogOptions.loadCatalog()
            let db = try database.openDatabase()
            let registry = StrategyRegistry.withRanker()
            let models = try ModelService(store: db).models(registry.trainableNames, catalogFingerprint: catalog.fingerprint)
            let inputs = StrategyInputs(catalog: catalog, models: models)
            var built: [String: any Recommender] = [:]
            let arms = try names.enumerated().map { index, name in
                if built[name] == nil { built[name] = try registry.make(name, inputs: inputs) }
                return ServeArm(strategy: name, treatment: ServeArm.treatment(ofArm: index), recommender: built[name]!)
            }
            let untrained = Set(names).sorted().filter { name in
                let s = try? registry.strategy(named: name)
                return s.map { $0.usesModel && models[$0.modelName] == nil } ?? false
            }
            let log = try logJSONL.map { path in
                do { return try CourseLog(path: path) } catch { throw InputError(file: path, "cannot open --log-jsonl: \(error.localizedDescription)") }
            }
            var settings = BotifyServer.Settings(host: host, port: port, idleTimeout: idleTimeout, seed: seed)
            if let threads { settings.eventLoops = threads }
            let server = BotifyServer(arms: arms, experiment: experiment, catalog: catalog, settings: settings)
            let what = experiment.map { "experiment \($0) (\(names.enumerated().map { "\(ServeArm.treatment(ofArm: $0)) \($1)" }.joined(separator: ", ")))" }
                ?? "strategy \(names[0])"
            let dbPath = db.path
            let note = untrained.isEmpty ? "" : "; untrained, using their fallbacks: \(untrained.joined(separator: ", "))"
            let summary = try Self.block {
                try await server.run(database: db, log: log) { host, port in
                    print("botify serve: \(what) on http://\(host):\(port) — \(catalog.count) tracks, logging to \(dbPath)\(note)")
                    fflush(nil)
                }
            }
            print("botify serve: stopped; \(summary.sessions) sessions, \(summary.plays) plays stored in \(dbPath) (\(summary.closedAtShutdown) open at shutdown, closed)")
        }
    }

    /// Runs async work from this synchronous command and waits for it.
    static func block<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() throws -> T { try lock.withLock { result! }.get() }
}
