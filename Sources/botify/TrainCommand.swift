import ArgumentParser
import Core
import Foundation
import Recommenders
import Storage

extension ListenerSource: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a strategy's model on logged plays and store it in the database.",
        discussion: """
        Trainable strategies: \(StrategyRegistry.standard.trainableNames.joined(separator: ", ")) (or 'all'). \
        Strategies use the newest model stored for the current catalog; a model trained for another \
        catalog is refused. --factors, --iterations, --alpha and --reg apply to als.
        """)

    @Argument(help: "Strategy to train, or 'all' for every trainable one.")
    var name: String

    @Option(help: ArgumentHelp("Only sessions from this listener source (human, bot, sim, remote); repeat for several. Default: all.",
                               valueName: "source"))
    var source: [ListenerSource] = []

    @OptionGroup var training: TrainingFlags
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        try reportingErrors {
            let registry = StrategyRegistry.standard
            let names = name == "all" ? registry.trainableNames : [name]
            let strategies = try names.map { try registry.strategy(named: $0) }
            if let s = strategies.first(where: { !$0.isTrainable }) { throw ModelService.untrainable(s) }
            let options = try training.options()
            let catalog = try catalogOptions.loadCatalog()
            // Only a log that exists has anything to train on: a missing --db is not created.
            let db = try database.openDatabase(mustExist: true)
            let filter = InteractionFilter(sources: source.isEmpty ? Set(ListenerSource.allCases) : Set(source))
            let sessions = try db.sessions(matching: filter)
            let service = ModelService(store: db)
            for s in strategies {
                print(try service.train(s, sessions: sessions, catalog: catalog, options: options).line)
            }
        }
    }
}

/// Hyper-parameters shared by `train` and `eval`.
struct TrainingFlags: ParsableArguments {
    @OptionGroup var model: ModelFlags
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
