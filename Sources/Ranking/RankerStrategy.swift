import Core
import Recommenders

/// How the ranker joins a registry. Recommenders stays free of XGBoost: the layers that build
/// registries (the command line, `SimulatorStrategies`) start from `StrategyRegistry.withRanker`.
public enum RankerStrategy {
    public static let name = "ranker"
    public static let summary = "candidates from six generators, ranked by gradient-boosted trees (XGBoost), then artist cap, diversity and exploration"

    /// With `logged`, its trainer learns from those vectors (`train ranker --from-logged-features`).
    public static func strategy(config: RankerConfig = RankerConfig(), boost: BoostParameters = BoostParameters(),
                                logged: LoggedRankerRows? = nil) -> Strategy {
        var trainer = RankerTrainer(config: config, boost: boost)
        trainer.logged = logged
        return Strategy(name: name, summary: summary, trainer: trainer) { inputs in
            try make(inputs, config: config)
        }
    }

    /// A trained ranker serves with the generators and models it was trained with; an
    /// untrained one with the caller's newest generator models and the vote order.
    public static func make(_ inputs: StrategyInputs, config: RankerConfig) throws -> RankerRecommender {
        guard let trained = inputs.models[name] else {
            let registry = StrategyRegistry.standard
            let generators = try config.generators.map { try registry.make($0, inputs: inputs) }
            // The models the generators read, so that a logged feature set names them.
            let models = try config.generators.map { inputs.models[try registry.strategy(named: $0).modelName] }
            return RankerRecommender(union: CandidateUnion(generators: generators, k: config.k),
                                     features: RankerFeatures(generators: config.generators, catalog: inputs.catalog),
                                     config: config, booster: nil, generatorModels: models)
        }
        try trained.check(strategy: name, catalog: inputs.catalog)
        let what = "ranker model (\(trained.sessionCount) sessions)"
        let model = try RankerModel(bytes: trained.payload, what: what)
        let generators = try model.generators.map { g -> any Recommender in
            var models: [String: TrainedModel] = [:]
            if let m = g.model { models[m.strategy] = m }
            return try StrategyRegistry.standard.make(g.name, inputs: StrategyInputs(index: inputs.index, models: models))
        }
        let booster = try Booster(buffer: model.booster, what: what)
        guard booster.featureCount == model.featureNames.count else {
            throw InputError(file: what, field: "features", value: String(booster.featureCount),
                             "the trees read \(booster.featureCount) features but the model names \(model.featureNames.count); retrain with 'botify train ranker'")
        }
        var served = config
        served.generators = model.generators.map(\.name)
        served.k = model.k
        return RankerRecommender(union: CandidateUnion(generators: generators, k: model.k),
                                 features: RankerFeatures(generators: served.generators, catalog: inputs.catalog),
                                 config: served, booster: booster, generatorModels: model.generators.map(\.model))
    }

    /// The generators named, each with a model trained on `sessions` when its strategy has one
    /// (a strategy reading another's model gets that one), refusing unknown names.
    static func generators(_ names: [String], index: CatalogIndex, trainingOn sessions: [ListeningSession],
                           options: TrainingOptions) throws -> [(name: String, recommender: any Recommender, model: TrainedModel?)] {
        let registry = StrategyRegistry.standard
        var trained: [String: TrainedModel] = [:]
        for n in names {
            let s = try registry.strategy(named: n)
            let owner = try registry.strategy(named: s.modelName)
            if trained[owner.name] == nil, let trainer = owner.trainer {
                trained[owner.name] = try trainer.train(sessions, catalog: index.catalog, options: options)
            }
        }
        let inputs = StrategyInputs(index: index, models: trained)
        return try names.map { n in
            let s = try registry.strategy(named: n)
            return (n, try s.make(inputs), trained[s.modelName])
        }
    }
}

extension StrategyRegistry {
    /// `standard` plus `ranker` (last in menu order): the registry botify's commands and the
    /// simulator use.
    public static func withRanker(config: RankerConfig = RankerConfig(), boost: BoostParameters = BoostParameters()) -> StrategyRegistry {
        var r = StrategyRegistry.standard
        r.register(RankerStrategy.strategy(config: config, boost: boost))
        return r
    }
}
