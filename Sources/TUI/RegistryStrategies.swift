import Core
import Foundation
import Recommenders
import Storage
import Synchronization

/// The strategy registry wired to the database: recommenders are built on first use with the
/// newest stored model, retraining reads the logged sessions and stores the new model, after
/// which the strategy is rebuilt so the next track uses it.
public final class RegistryStrategies: StrategyProvider {
    private let registry: StrategyRegistry
    private let database: BotifyDatabase
    private let index: CatalogIndex
    /// Hashing every title costs milliseconds: computed once, not per status line.
    private let fingerprint: String
    private let built = Mutex<[String: any Recommender]>([:])

    public init(registry: StrategyRegistry, database: BotifyDatabase, catalog: Catalog) {
        self.registry = registry
        self.database = database
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
        if let r = built.withLock({ $0[name] }) { return r }
        guard let strategy = try? registry.strategy(named: name) else { return nil }
        let model = strategy.usesModel ? (try? newestModel(strategy.modelName)) ?? nil : nil
        let inputs = StrategyInputs(index: index, models: model.map { [strategy.modelName: $0] } ?? [:])
        // A stored model that no longer loads (another catalog) falls back to the untrained strategy.
        guard let r = (try? strategy.make(inputs)) ?? (try? strategy.make(StrategyInputs(index: index))) else { return nil }
        built.withLock { $0[name] = r }
        return r
    }

    private func newestModel(_ name: String) throws -> TrainedModel? {
        guard let record = try database.models.newest(strategy: name, catalogFingerprint: fingerprint) else { return nil }
        return try TrainedModel(bytes: [UInt8](record.blob), what: "model \(name) #\(record.id ?? 0)")
    }

    public func modelStatus(_ name: String) -> String {
        guard let strategy = try? registry.strategy(named: name) else { return "unknown" }
        guard strategy.usesModel else { return "no model needed" }
        let modelName = strategy.modelName
        guard let status = (try? database.models.status())?.first(where: { $0.strategy == modelName && $0.catalogFingerprint == fingerprint }) else {
            return "not trained: uses its fallback (r trains)"
        }
        let range = status.sessionRange.map { " on sessions \($0.lowerBound)–\($0.upperBound)" } ?? ""
        return "trained \(formatDate(status.trainedAt)) UTC\(range) in \(fixed(status.trainingSeconds, 1)) s"
    }

    public func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String {
        // A strategy that shares another's model (i2i-fresh) retrains that model.
        let strategy = try registry.strategy(named: registry.strategy(named: name).modelName)
        guard let trainer = strategy.trainer else { return "no model needed" }
        let name = strategy.name
        progress(0.05)
        let sessions = try database.sessions(matching: InteractionFilter())
        progress(0.2)
        let model = try trainer.train(sessions, catalog: index.catalog)
        progress(0.9)
        let params = model.parameters.keys.sorted().map { "\"\($0)\": \(model.parameters[$0]!)" }.joined(separator: ", ")
        let range: ClosedRange<Int64>? = model.firstSessionID.flatMap { f in model.lastSessionID.map { f...$0 } }
        try database.models.save(ModelRecord(strategy: name, catalogFingerprint: model.catalogFingerprint, params: "{\(params)}",
                                             sessionRange: range, trainedAt: Date().timeIntervalSince1970,
                                             trainingSeconds: model.trainingSeconds, loss: model.loss, blob: Data(model.encoded())))
        let stale = Set(registry.strategies.filter { $0.modelName == name }.map(\.name))
        built.withLock { cache in for key in stale { cache.removeValue(forKey: key) } }
        progress(1)
        return "trained on \(model.sessionCount) sessions, \(model.playCount) plays in \(fixed(model.trainingSeconds, 1)) s"
    }
}
