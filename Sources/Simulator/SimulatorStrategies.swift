import Core
import Foundation
import Ranking
import Recommenders

/// The one place strategy names become recommenders for simulated runs: the standard
/// registry plus `oracle` (which needs the world), with the newest trained models from a
/// model store when one is given.
public enum SimulatorStrategies {
    public static func registry(world: World) -> StrategyRegistry {
        var registry = StrategyRegistry.withRanker()
        registry.register(Strategy(name: OracleRecommender.strategyName, summary: OracleRecommender.label,
                                   isUpperBound: true) { _ in OracleRecommender(world: world) })
        return registry
    }

    /// Builds every named strategy over one shared catalog index, with the newest model of
    /// every trainable strategy in `database` (any `ModelRepository`; Storage's
    /// `BotifyDatabase` is one). A stored model that cannot be read is an error
    /// (`ModelService`'s failure policy): a simulated run never quietly uses a fallback.
    /// `lists`, when given, adds the recommendation lists imported against the world's catalog.
    public static func make(_ names: [String], world: World, database: (any ModelRepository)?,
                            lists: (any RecommendationListRepository)? = nil) throws -> [any Recommender] {
        var registry = registry(world: world)
        if let lists { try registry.registerLists(from: lists, catalog: world.catalog) }
        for name in names {
            if !registry.names.contains(name), let lists, let other = try lists.recommendationLists().first(where: { $0.name == name }) {
                throw InputError(file: lists.location, field: "--strategy", value: name,
                                 "imported against another catalog (fingerprint \(other.catalogFingerprint); this world's is \(world.catalog.fingerprint))")
            }
            _ = try registry.strategy(named: name)
        }
        let models = try database.map {
            try ModelService(store: $0).models(registry.trainableNames, catalogFingerprint: world.catalog.fingerprint)
        } ?? [:]
        let inputs = StrategyInputs(catalog: world.catalog, models: models)
        return try names.map { try registry.make($0, inputs: inputs) }
    }
}
