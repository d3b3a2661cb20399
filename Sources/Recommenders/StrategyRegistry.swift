import Core
import Foundation

/// What a strategy factory gets: the catalog, its precomputed orders, and the newest trained
/// model of each strategy (by strategy name) that the caller has.
public struct StrategyInputs: Sendable {
    public let catalog: Catalog
    public let index: CatalogIndex
    public let models: [String: TrainedModel]

    public init(catalog: Catalog, models: [String: TrainedModel] = [:]) {
        self.init(index: CatalogIndex(catalog), models: models)
    }

    public init(index: CatalogIndex, models: [String: TrainedModel] = [:]) {
        self.catalog = index.catalog
        self.index = index
        self.models = models
    }
}

/// One strategy as menus and the command line list it.
public struct Strategy: Sendable {
    public let name: String
    public let summary: String
    /// How to learn its model from logs; nil for strategies without one.
    public let trainer: (any Trainer)?
    /// An upper bound for calibration that needs the simulator's hidden world (`oracle`),
    /// labelled as such wherever it is shown.
    public let isUpperBound: Bool
    /// Mirrors a course baseline as the course serves it (repeats allowed); the contract
    /// suite's "never repeat" rule applies to every other strategy.
    public let mirrorsCourse: Bool
    /// The strategy whose trained model this one reads when it has no trainer of its own
    /// (`i2i-fresh` reads `i2i`'s); nil otherwise.
    public let sharesModelOf: String?
    /// Builds the recommender; throws an `InputError` for a model from another catalog.
    public let make: @Sendable (StrategyInputs) throws -> any Recommender

    public var isTrainable: Bool { trainer != nil }
    /// The name its model is stored under: its own, or the one it shares.
    public var modelName: String { sharesModelOf ?? name }
    /// Whether it reads a trained model (its own or a shared one).
    public var usesModel: Bool { isTrainable || sharesModelOf != nil }

    public init(name: String, summary: String, trainer: (any Trainer)? = nil, isUpperBound: Bool = false,
                mirrorsCourse: Bool = false, sharesModelOf: String? = nil,
                make: @escaping @Sendable (StrategyInputs) throws -> any Recommender) {
        self.name = name
        self.summary = summary
        self.trainer = trainer
        self.isUpperBound = isUpperBound
        self.mirrorsCourse = mirrorsCourse
        self.sharesModelOf = sharesModelOf
        self.make = make
    }
}

/// Every strategy by name, in menu order. `standard` holds the ones that need only logs and
/// the catalog; the simulator registers `oracle` on a copy.
public struct StrategyRegistry: Sendable {
    public private(set) var strategies: [Strategy] = []

    public init(_ strategies: [Strategy] = []) {
        for s in strategies { register(s) }
    }

    /// Adds a strategy, replacing one of the same name in place.
    public mutating func register(_ strategy: Strategy) {
        if let i = strategies.firstIndex(where: { $0.name == strategy.name }) { strategies[i] = strategy } else { strategies.append(strategy) }
    }

    public var names: [String] { strategies.map(\.name) }
    public var trainableNames: [String] { strategies.filter(\.isTrainable).map(\.name) }
    /// The course mirrors (`random`, `sticky-artist`, `sticky-mixed`, `i2i`).
    public var courseMirrorNames: [String] { strategies.filter(\.mirrorsCourse).map(\.name) }

    /// The strategy called `name`: a registered one, else the first resolver's answer (a
    /// resolver may throw an `InputError` for a name it owns but cannot use, e.g. a bad URL),
    /// else an `InputError` listing the valid names and the resolvers' forms.
    public func strategy(named name: String) throws -> Strategy {
        if let s = strategies.first(where: { $0.name == name }) { return s }
        let resolvers = StrategyResolvers.shared.all
        for r in resolvers {
            if let s = try r.resolve(name) { return s }
        }
        let forms = resolvers.map { " or \($0.form)" }.joined()
        throw InputError(field: "strategy", value: name, "unknown strategy; valid: \(names.joined(separator: ", "))\(forms)")
    }

    public func make(_ name: String, inputs: StrategyInputs) throws -> any Recommender {
        try strategy(named: name).make(inputs)
    }

    /// The bandit's arms: botify's own non-repeating strategies (not the course mirrors, which
    /// repeat, and not the mixed one, which is a fixed switch between two of them).
    static let banditArms = [FreshStickyArtistRecommender.strategyName, "content-knn", FreshI2IRecommender.strategyName,
                             "markov", "als", "top-pop", FreshRandomRecommender.strategyName]

    /// In menu order. The course's baselines keep the course's names and semantics
    /// (`mirrorsCourse`); botify's improved variants follow each as `NAME-fresh`.
    public static let standard = StrategyRegistry([
        Strategy(name: "random", summary: RandomRecommender.about, mirrorsCourse: true) { _ in RandomRecommender() },
        Strategy(name: FreshRandomRecommender.strategyName, summary: FreshRandomRecommender.about) { _ in FreshRandomRecommender() },
        Strategy(name: "top-pop", summary: TopPopRecommender.about,
                 trainer: TopPopTrainer()) { inputs in
            guard let model = inputs.models["top-pop"] else { return TopPopRecommender(index: inputs.index) }
            return TopPopRecommender(order: try TopPopTrainer.order(from: model, catalog: inputs.catalog), source: "logged listening")
        },
        Strategy(name: StickyArtistRecommender.strategyName, summary: StickyArtistRecommender.about,
                 mirrorsCourse: true) { StickyArtistRecommender(index: $0.index) },
        Strategy(name: FreshStickyArtistRecommender.strategyName, summary: FreshStickyArtistRecommender.about) {
            FreshStickyArtistRecommender(index: $0.index)
        },
        Strategy(name: StickyMixedRecommender.strategyName, summary: StickyMixedRecommender.about,
                 mirrorsCourse: true) { StickyMixedRecommender(index: $0.index) },
        Strategy(name: FreshStickyMixedRecommender.strategyName, summary: FreshStickyMixedRecommender.about) {
            FreshStickyMixedRecommender(index: $0.index)
        },
        Strategy(name: ContentKNNRecommender.strategyName,
                 summary: ContentKNNRecommender.about) {
            ContentKNNRecommender(index: $0.index)
        },
        Strategy(name: I2IRecommender.strategyName,
                 summary: I2IRecommender.about,
                 trainer: I2ITrainer(), mirrorsCourse: true) { try I2IRecommender(index: $0.index, model: $0.models[I2IRecommender.strategyName]) },
        Strategy(name: FreshI2IRecommender.strategyName,
                 summary: FreshI2IRecommender.about,
                 sharesModelOf: I2IRecommender.strategyName) {
            try FreshI2IRecommender(index: $0.index, model: $0.models[I2IRecommender.strategyName])
        },
        Strategy(name: MarkovRecommender.strategyName,
                 summary: MarkovRecommender.about,
                 trainer: MarkovTrainer()) { try MarkovRecommender(index: $0.index, model: $0.models[MarkovRecommender.strategyName]) },
        Strategy(name: ALSRecommender.strategyName,
                 summary: ALSRecommender.about,
                 trainer: ALSTrainer()) { try ALSRecommender(index: $0.index, model: $0.models[ALSRecommender.strategyName]) },
        Strategy(name: BanditRecommender.strategyName,
                 summary: BanditRecommender.about) { inputs in
            let arms = try banditArms.map { try standardWithoutBandit.make($0, inputs: inputs) }
            return BanditRecommender(arms: arms)
        },
    ])

    /// `standard` before the bandit joins (the bandit's factory builds its arms from it).
    private static var standardWithoutBandit: StrategyRegistry {
        var r = StrategyRegistry()
        for s in standard.strategies where s.name != BanditRecommender.strategyName { r.register(s) }
        return r
    }
}

/// Strategies that are named rather than listed: a resolver turns a name of its form (e.g.
/// `http://HOST:PORT`, a remote recommender) into a strategy. The executable adds its
/// resolvers once at start, so every command that accepts a strategy name (every registry,
/// `standard` and its copies) accepts them without special cases; this module knows none.
public struct StrategyResolver: Sendable {
    /// How its names look, for error messages: "http://HOST:PORT (a remote recommender)".
    public let form: String
    /// The strategy for `name`, nil when `name` is not of this resolver's form.
    public let resolve: @Sendable (String) throws -> Strategy?

    public init(form: String, resolve: @escaping @Sendable (String) throws -> Strategy?) {
        self.form = form
        self.resolve = resolve
    }
}

/// The process's resolvers, in the order they were added.
public final class StrategyResolvers: @unchecked Sendable {
    public static let shared = StrategyResolvers()
    private let lock = NSLock()
    private var resolvers: [StrategyResolver] = []

    public func add(_ resolver: StrategyResolver) {
        lock.withLock { resolvers.append(resolver) }
    }

    public var all: [StrategyResolver] { lock.withLock { resolvers } }
}
