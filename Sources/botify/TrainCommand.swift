import ArgumentParser
import Core
import Foundation
import Ranking
import Recommenders
import Storage

extension ListenerSource: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a strategy's model on logged plays and store it in the database.",
        discussion: """
        Trainable strategies: \(StrategyRegistry.withRanker().trainableNames.joined(separator: ", ")) (or 'all'). \
        Strategies use the newest model stored for the current catalog; a model trained for another \
        catalog is refused. --factors, --iterations, --alpha and --reg apply to als; --rounds, --depth, \
        --eta and --label-share to ranker (docs/RANKER.md).
        """)

    @Argument(help: "Strategy to train, or 'all' for every trainable one.")
    var name: String

    @Option(help: ArgumentHelp("Only sessions from this listener source (human, bot, sim, remote); repeat for several. Default: all.",
                               valueName: "source"))
    var source: [ListenerSource] = []

    @Flag(help: "ranker: learn from the feature vectors logged at serving time ('simulate --log-features') and the fractions heard after them, instead of recomputing features from the log; the model serves with the generators that computed them.")
    var fromLoggedFeatures = false

    @Option(help: ArgumentHelp("ranker: hide a feature group from training, for an ablation (\(RankerFeatures.groups.map(\.name).joined(separator: ", "))); repeat for several.", valueName: "group"))
    var ablate: [String] = []

    @OptionGroup var training: TrainingFlags
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        try reportingErrors {
            var boost = try training.ranker.parameters()
            for g in ablate where !RankerFeatures.groups.contains(where: { $0.name == g }) {
                throw InputError(field: "--ablate", value: g, "unknown feature group; valid: \(RankerFeatures.groups.map(\.name).joined(separator: ", "))")
            }
            if !ablate.isEmpty && name != RankerStrategy.name { throw InputError(field: "--ablate", value: name, "applies to 'train ranker' only") }
            boost.ablated = ablate
            var registry = StrategyRegistry.withRanker(boost: boost)
            if fromLoggedFeatures && name != RankerStrategy.name {
                throw InputError(field: "--from-logged-features", value: name, "applies to 'train ranker' only")
            }
            let names = name == "all" ? registry.trainableNames : [name]
            let strategies = try names.map { try registry.strategy(named: $0) }
            if let s = strategies.first(where: { !$0.isTrainable }) { throw ModelService.untrainable(s) }
            let options = try training.options()
            let catalog = try catalogOptions.loadCatalog()
            // Only a log that exists has anything to train on: a missing --db is not created.
            let db = try database.openDatabase(mustExist: true)
            let filter = InteractionFilter(sources: source.isEmpty ? Set(ListenerSource.allCases) : Set(source))
            let sessions = try db.sessions(matching: filter)
            if fromLoggedFeatures {
                guard let logged = try FeatureLogging.newestRows(db, catalog: catalog) else {
                    throw InputError(file: db.path, field: "--from-logged-features",
                                     "no feature vectors logged for this catalog; log some with 'simulate --log-features'")
                }
                let ranks = logged.rows.featureSet.featureNames.indices.filter { logged.rows.featureSet.featureNames[$0].hasSuffix(" rank") }
                let proposed = logged.rows.rows.filter { r in ranks.contains { !r.values[$0].isNaN } }.count
                print("learning from \(logged.set.rows) feature vectors logged under feature set #\(logged.set.id) (\(logged.set.columns) columns; "
                      + "\(String(format: "%.1f", 100 * Double(proposed) / Double(max(1, logged.rows.rows.count))))% of the picks were proposed by a generator)")
                registry.register(RankerStrategy.strategy(boost: boost, logged: logged.rows))
            }
            let service = ModelService(store: db)
            // Looked up again: --from-logged-features replaced the ranker after they were checked.
            for s in try strategies.map({ try registry.strategy(named: $0.name) }) {
                print(try service.train(s, sessions: sessions, catalog: catalog, options: options).line)
            }
        }
    }
}

/// Hyper-parameters shared by `train` and `eval`.
struct TrainingFlags: ParsableArguments {
    @OptionGroup var model: ModelFlags
    @OptionGroup var ranker: RankerFlags
    @Option(help: "Random seed (initial factors).") var seed = TrainingOptions().seed
    @Option(parsing: .unconditional, help: "Worker threads, 1…\(SizeLimits.threads) (the result does not depend on it).") var threads = 2

    func options() throws -> TrainingOptions {
        try SizeLimits.check(threads, "--threads", 1...SizeLimits.threads)
        return try model.options(seed: seed, threads: threads)
    }
}

/// The model's own hyper-parameters, also taken by `simulate --retrain` (which has its own
/// --seed and --threads).
struct ModelFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: "iALS latent factors, 1…1024.") var factors = TrainingOptions().factors
    @Option(parsing: .unconditional, help: "iALS sweeps, 0…\(ModelFlags.maxIterations.grouped).") var iterations = TrainingOptions().iterations
    @Option(help: "iALS confidence weight: c = 1 + alpha · listened fraction.") var alpha = TrainingOptions().alpha
    @Option(help: "iALS L2 regularisation.") var reg = TrainingOptions().regularization

    static let maxIterations = 10_000

    func options(seed: UInt64, threads: Int) throws -> TrainingOptions {
        guard factors > 0, factors <= 1_024 else { throw InputError(field: "--factors", value: String(factors), "must be 1…1024") }
        try SizeLimits.check(iterations, "--iterations", 0...Self.maxIterations)
        guard alpha >= 0, alpha.isFinite else { throw InputError(field: "--alpha", value: String(alpha), "must be ≥ 0") }
        guard reg >= 0, reg.isFinite else { throw InputError(field: "--reg", value: String(reg), "must be ≥ 0") }
        return TrainingOptions(factors: factors, iterations: iterations, alpha: alpha, regularization: reg,
                               seed: seed, threads: threads)
    }
}

/// XGBoost's knobs for the ranker (docs/RANKER.md), taken by `train` and `eval`.
struct RankerFlags: ParsableArguments {
    @Option(parsing: .unconditional, help: "ranker: boosting rounds, 1…\(RankerFlags.maxRounds.grouped).") var rounds = BoostParameters().rounds
    @Option(parsing: .unconditional, help: "ranker: tree depth, 1…16.") var depth = BoostParameters().depth
    @Option(help: "ranker: learning rate (eta), in (0, 1].") var eta = BoostParameters().eta
    @Option(help: "ranker: newest share of sessions that become training rows (the generators learn from the rest), in (0, 1).")
    var labelShare = BoostParameters().labelShare

    static let maxRounds = 10_000

    func parameters() throws -> BoostParameters {
        try SizeLimits.check(rounds, "--rounds", 1...Self.maxRounds)
        try SizeLimits.check(depth, "--depth", 1...16)
        guard eta > 0, eta <= 1 else { throw InputError(field: "--eta", value: String(eta), "must be in (0, 1]") }
        guard labelShare > 0, labelShare < 1 else {
            throw InputError(field: "--label-share", value: String(labelShare), "must be between 0 and 1")
        }
        return BoostParameters(rounds: rounds, depth: depth, eta: eta, labelShare: labelShare)
    }
}
