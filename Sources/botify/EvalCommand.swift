import ArgumentParser
import Core
import Foundation
import Ranking
import Recommenders
import Storage

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate strategies offline on held-out plays.",
        discussion: """
        Trainable strategies are trained on the training part of the log (not the stored models, \
        which may have seen the held-out plays). For every held-out play heard at least half-way \
        (position ≥ 1), each strategy proposes its top 10 given the session so far and the listener's \
        earlier plays. HR@10: share of those plays in the top 10; NDCG@10: the same discounted by \
        rank; coverage: share of the catalog ever proposed; novelty: mean −log2 p(track) of \
        proposals, p from training listening.
        """)

    @Option(help: ArgumentHelp("Comma-separated strategies. Default: all of \(StrategyRegistry.withRanker().names.joined(separator: ",")).",
                               valueName: "a,b,…"))
    var strategies: String?

    @Option(help: ArgumentHelp("last: each listener's last session; ratio: the newest --ratio of sessions.", valueName: "last|ratio"))
    var holdout = "last"

    @Option(help: "Share of sessions held out with --holdout ratio.")
    var ratio = 0.2

    @Option(help: ArgumentHelp("Only sessions from this listener source; repeat for several. Default: all.", valueName: "source"))
    var source: [ListenerSource] = []

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .customLong("ranker-stages"), parsing: .unconditional,
            help: ArgumentHelp("Also time the stored ranker's next() by stage (candidates, features, scoring, rules, explanation) over the newest N logged contexts, p50/p99 in µs. With no --strategies, only this runs.", valueName: "N"))
    var rankerStages: Int?

    @OptionGroup(title: "Ranker rules") var rankerRules: RankerRuleFlags
    @OptionGroup var training: TrainingFlags
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup(title: "Remote strategies (http://HOST:PORT among --strategies)") var remote: RemoteOptions

    func run() throws {
        try reportingErrors {
            try remote.validate()
            try rankerRules.validate()
            var registry = StrategyRegistry.withRanker(config: rankerRules.config, boost: try training.ranker.parameters())
            let named = strategies.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            // Names that are not built in may be imported lists, checked once the database is open;
            // a URL is checked here (its resolver probes the service).
            for n in named ?? [] where !SimulatedStrategyNames.mayBeImported(n) { _ = try registry.strategy(named: n) }
            let split: Holdout
            switch holdout {
            case "last": split = .lastSession
            case "ratio":
                guard ratio > 0, ratio < 1 else { throw InputError(field: "--ratio", value: String(ratio), "must be between 0 and 1") }
                split = .ratio(ratio)
            default: throw InputError(field: "--holdout", value: holdout, "expected 'last' or 'ratio'")
            }
            let options = try training.options()
            if let rankerStages { try SizeLimits.check(rankerStages, "--ranker-stages", 1...100_000) }
            let catalog = try catalogOptions.loadCatalog()
            // Only a log that exists has anything to train on: a missing --db is not created.
            let db = try database.openDatabase(mustExist: true)
            try registry.registerLists(from: db, catalog: catalog)
            let names = named ?? (rankerStages == nil ? registry.names : [])
            for n in names { _ = try registry.strategy(named: n) }
            let filter = InteractionFilter(sources: source.isEmpty ? Set(ListenerSource.allCases) : Set(source))
            let sessions = try db.sessions(matching: filter)
            guard !sessions.isEmpty else {
                throw InputError(field: "plays", "no logged sessions to evaluate on; run sessions first (botify simulate, or play)")
            }
            if let rankerStages {
                let models = try ModelService(store: db).models(registry.trainableNames, catalogFingerprint: catalog.fingerprint)
                let ranker = try RankerStrategy.make(StrategyInputs(catalog: catalog, models: models), config: rankerRules.config)
                print(RankerStageTiming.table(RankerStageTiming.measure(ranker, sessions: sessions, catalog: catalog,
                                                                        calls: rankerStages, seed: options.seed)), terminator: "")
                if names.isEmpty { return }
            }
            let results = try OfflineEvaluation(registry: registry, options: options)
                .evaluate(names, catalog: catalog, sessions: sessions, holdout: split, seed: options.seed)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(results), as: UTF8.self))
                return
            }
            let width = max(8, names.map(\.count).max() ?? 8)
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
            print(pad("strategy", width) + lpad("events", 9) + lpad("HR@10", 9) + lpad("NDCG@10", 9) + lpad("coverage", 10) + lpad("novelty", 9))
            for r in results {
                print(pad(r.strategy, width) + lpad(String(r.events), 9) + lpad(String(format: "%.4f", r.hitRate), 9)
                      + lpad(String(format: "%.4f", r.ndcg), 9) + lpad(String(format: "%.4f", r.coverage), 10)
                      + lpad(String(format: "%.2f", r.novelty), 9))
            }
        }
    }
}
