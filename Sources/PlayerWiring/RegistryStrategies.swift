import Core
import Foundation
import Recommenders
import Synchronization
import TUI

/// The strategy registry wired to the logs and the models (Storage's `BotifyDatabase` is
/// both): each `recommender(named:)` builds the strategy with the newest stored model (the
/// player keeps what it gets, off its UI thread), retraining reads the logged sessions and
/// stores the new model through `ModelService`, after which the player builds again. Nothing is
/// cached here, so a build that was under way during a retrain cannot put the old model back
/// (the player drops its answer). A stored model that cannot be read (the service's failure
/// policy) is shown in the model status, and the strategy serves its untrained fallback meanwhile.
public final class RegistryStrategies: StrategyProvider {
    private let registry: StrategyRegistry
    private let interactions: any InteractionSource
    private let service: ModelService
    private let index: CatalogIndex
    /// Hashing every title costs milliseconds: computed once, not per status line.
    private let fingerprint: String
    /// Strategies whose stored model (by id) decoded but was refused when building (`make` threw).
    private let refused = Mutex<[String: (model: Int64?, problem: String)]>([:])

    public init(registry: StrategyRegistry, database: any InteractionSource & ModelRepository, catalog: Catalog) {
        self.registry = registry
        interactions = database
        service = ModelService(store: database)
        index = CatalogIndex(catalog)
        fingerprint = catalog.fingerprint
    }

    public var strategies: [StrategyInfo] {
        registry.strategies.map {
            StrategyInfo(name: $0.name, summary: $0.isUpperBound ? "UPPER BOUND (knows the hidden world): " + $0.summary : $0.summary,
                         trainable: $0.usesModel)
        }
    }

    public func recommender(named name: String) -> (any Recommender)? {
        guard let strategy = try? registry.strategy(named: name) else { return nil }
        var model: TrainedModel?
        var modelID: Int64?
        if strategy.usesModel, case .trained(let record, let m) = service.state(of: strategy.modelName, catalogFingerprint: fingerprint) {
            model = m
            modelID = record.id
        }
        let r: any Recommender
        if let model {
            do {
                r = try strategy.make(StrategyInputs(index: index, models: [strategy.modelName: model]))
            } catch {
                refused.withLock { $0[name] = (modelID, (error as? InputError)?.problem ?? "\(error)") }
                guard let fallback = try? strategy.make(StrategyInputs(index: index)) else { return nil }
                r = fallback
            }
        } else {
            // No model, or one that cannot be read (modelStatus says which): the untrained strategy.
            guard let untrained = try? strategy.make(StrategyInputs(index: index)) else { return nil }
            r = untrained
        }
        return r
    }

    public func modelStatus(_ name: String) -> String {
        guard let strategy = try? registry.strategy(named: name) else { return "unknown" }
        guard strategy.usesModel else { return "no model needed" }
        switch service.state(of: strategy.modelName, catalogFingerprint: fingerprint) {
        case .notTrained:
            return "not trained: uses its fallback (r trains)"
        case .unreadable(let id, let error):
            let what = id.map { "model #\($0)" } ?? "models"
            return "\(what) cannot be read (\(error.problem)): uses its fallback (r retrains)"
        case .trained(let record, _):
            if let (model, problem) = refused.withLock({ $0[name] }), model == record.id {
                return "model #\(record.id ?? 0) refused (\(problem)): uses its fallback (r retrains)"
            }
            let range = record.sessionRange.map { " on sessions \($0.lowerBound)–\($0.upperBound)" } ?? ""
            return "trained \(formatDate(record.trainedAt)) UTC\(range) in \(fixed(record.trainingSeconds, 1)) s"
        }
    }

    public func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String {
        // A strategy that shares another's model (i2i-fresh) retrains that model.
        let strategy = try registry.strategy(named: registry.strategy(named: name).modelName)
        guard strategy.trainer != nil else { return "no model needed" }
        let name = strategy.name
        progress(0.05)
        let sessions = try interactions.sessions(matching: InteractionFilter())
        progress(0.2)
        let model = try service.train(strategy, sessions: sessions, catalog: index.catalog).model
        progress(0.9)
        let stale = Set(registry.strategies.filter { $0.modelName == name }.map(\.name))
        refused.withLock { cache in for key in stale { cache.removeValue(forKey: key) } }
        progress(1)
        return "trained on \(model.sessionCount) sessions, \(model.playCount) plays in \(fixed(model.trainingSeconds, 1)) s"
    }
}
