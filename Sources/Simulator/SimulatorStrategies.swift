import Core
import Foundation
import Recommenders
import Storage

/// The one place strategy names become recommenders for simulated runs: the standard
/// registry plus `oracle` (which needs the world), with the newest trained models from the
/// database when one is given.
public enum SimulatorStrategies {
    public static func registry(world: World) -> StrategyRegistry {
        var registry = StrategyRegistry.standard
        registry.register(Strategy(name: OracleRecommender.strategyName, summary: OracleRecommender.label,
                                   isUpperBound: true) { _ in OracleRecommender(world: world) })
        return registry
    }

    /// Builds every named strategy over one shared catalog index.
    public static func make(_ names: [String], world: World, database: BotifyDatabase?) throws -> [any Recommender] {
        let registry = registry(world: world)
        for name in names { _ = try registry.strategy(named: name) }
        var models: [String: TrainedModel] = [:]
        if let database {
            for name in registry.trainableNames {
                guard let record = try database.models.newest(strategy: name, catalogFingerprint: world.catalog.fingerprint)
                else { continue }
                models[name] = try TrainedModel(bytes: [UInt8](record.blob), what: "\(name) model in \(database.path)")
            }
        }
        let inputs = StrategyInputs(catalog: world.catalog, models: models)
        return try names.map { try registry.make($0, inputs: inputs) }
    }
}
