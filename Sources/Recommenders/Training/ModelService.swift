import Core
import Foundation

/// A model just trained and stored.
public struct StoredModel: Sendable, Equatable {
    public var model: TrainedModel
    public var id: Int64
    /// Size of the stored blob.
    public var bytes: Int
}

/// What a strategy's newest stored model is, for status lines.
public enum ModelState: Sendable, Equatable {
    /// No model for this strategy and catalog.
    case notTrained
    /// The newest model decodes; `record` is its row (the blob included).
    case trained(record: ModelRecord, model: TrainedModel)
    /// The newest model (or the store) cannot be read; `error` says why. Strategies that must
    /// keep running serve their untrained fallback and say so; the others fail with `error`.
    case unreadable(id: Int64?, error: InputError)
}

/// The one way botify trains, stores and loads models (docs/ARCHITECTURE.md §5), used by
/// `botify train`, `simulate --retrain`, the simulator's strategies and the player.
///
/// Failure policy: a stored model that cannot be decoded is an error, never skipped in
/// silence. `newest` and `models` throw an `InputError` naming the model row, the store and
/// the remedy; the command line exits 2 with it. The player, which must keep playing, serves
/// the untrained strategy and shows `state(of:)`'s `.unreadable` in its status line.
public struct ModelService: Sendable {
    public let store: any ModelRepository

    public init(store: any ModelRepository) {
        self.store = store
    }

    /// Trains `strategy` on the sessions `source` returns for `filter` and stores the model.
    public func train(_ strategy: Strategy, from source: any InteractionSource, filter: InteractionFilter = InteractionFilter(),
                      catalog: Catalog, options: TrainingOptions = TrainingOptions()) throws -> StoredModel {
        try train(strategy, sessions: source.sessions(matching: filter), catalog: catalog, options: options)
    }

    /// Trains `strategy` on `sessions` (read once by a caller that trains several) and stores
    /// the model. Then reads back what strategies will load: a newer row that cannot be read
    /// (or that shadows this one) is an error here, not a surprise at the next run.
    public func train(_ strategy: Strategy, sessions: [ListeningSession], catalog: Catalog,
                      options: TrainingOptions = TrainingOptions()) throws -> StoredModel {
        guard let trainer = strategy.trainer else { throw Self.untrainable(strategy) }
        return try train(trainer, sessions: sessions, catalog: catalog, options: options)
    }

    /// `train(_:sessions:…)` with a trainer of the caller's (an incremental one for nightly retraining).
    public func train(_ trainer: any Trainer, sessions: [ListeningSession], catalog: Catalog,
                      options: TrainingOptions = TrainingOptions()) throws -> StoredModel {
        let model = try trainer.train(sessions, catalog: catalog, options: options)
        let blob = Data(model.encoded())
        let id = try store.saveModel(ModelRecord(
            strategy: model.strategy, catalogFingerprint: model.catalogFingerprint,
            params: try Self.parametersJSON(model.parameters),
            sessionRange: model.firstSessionID.flatMap { f in model.lastSessionID.map { f...$0 } },
            trainedAt: Date().timeIntervalSince1970, trainingSeconds: model.trainingSeconds,
            loss: model.loss, blob: blob))
        switch try read(model.strategy, catalogFingerprint: model.catalogFingerprint) {
        case .trained(let record, _) where record.id == id:
            break
        case .unreadable(let newer, var error) where newer != id:
            error.problem += "; it is dated later than the model just stored as #\(id), so strategies would still load it: "
                + "delete it from the models table"
            throw error
        case .trained(let record, _):
            throw InputError(file: "\(model.strategy) model #\(record.id ?? 0) in \(store.location)",
                             "is dated later than the model just stored as #\(id), so strategies would load it instead")
        case .unreadable(_, let error):
            throw error
        case .notTrained:
            throw InputError(file: store.location, "the model just stored as #\(id) does not read back")
        }
        return StoredModel(model: model, id: id, bytes: blob.count)
    }

    /// The refusal to train a strategy without a trainer of its own.
    public static func untrainable(_ strategy: Strategy) -> InputError {
        let shared = strategy.sharesModelOf.map { " (it reads \($0)'s model: train \($0))" } ?? ""
        return InputError(field: "strategy", value: strategy.name,
                          "has no model to train\(shared); trainable: \(StrategyRegistry.standard.trainableNames.joined(separator: ", "))")
    }

    /// Hyper-parameters as a JSON object with sorted keys (the `params` column).
    public static func parametersJSON(_ parameters: [String: Double]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(parameters), as: UTF8.self)
    }

    /// The newest model stored under `modelName` for the catalog, decoded; nil when there is
    /// none; an `InputError` when it cannot be read.
    public func newest(_ modelName: String, catalogFingerprint: String) throws -> TrainedModel? {
        switch try read(modelName, catalogFingerprint: catalogFingerprint) {
        case .notTrained: return nil
        case .trained(_, let model): return model
        case .unreadable(_, let error): throw Self.withRemedy(error, modelName)
        }
    }

    /// The newest model of each of `names` that has one, by name.
    public func models(_ names: [String], catalogFingerprint: String) throws -> [String: TrainedModel] {
        var models: [String: TrainedModel] = [:]
        for name in names {
            models[name] = try newest(name, catalogFingerprint: catalogFingerprint)
        }
        return models
    }

    /// `newest` without throwing, for a status line (the error names no remedy: the caller
    /// knows its own).
    public func state(of modelName: String, catalogFingerprint: String) -> ModelState {
        do {
            return try read(modelName, catalogFingerprint: catalogFingerprint)
        } catch let error as InputError {
            return .unreadable(id: nil, error: error)
        } catch {
            return .unreadable(id: nil, error: InputError(file: store.location, "cannot read the models: \(error)"))
        }
    }

    /// Throws only when the store itself fails; a row that does not decode is `.unreadable`.
    private func read(_ modelName: String, catalogFingerprint: String) throws -> ModelState {
        guard let record = try store.newestModel(strategy: modelName, catalogFingerprint: catalogFingerprint) else { return .notTrained }
        let what = "\(modelName) model #\(record.id ?? 0) in \(store.location)"
        do {
            let model = try TrainedModel(bytes: [UInt8](record.blob), what: what)
            guard model.strategy == modelName, model.catalogFingerprint == catalogFingerprint else {
                throw InputError(field: "strategy", value: model.strategy,
                                 "the stored bytes belong to \(model.strategy) for catalog \(model.catalogFingerprint)")
            }
            return .trained(record: record, model: model)
        } catch var error as InputError {
            error.file = what
            return .unreadable(id: record.id, error: error)
        }
    }

    private static func withRemedy(_ error: InputError, _ modelName: String) -> InputError {
        var error = error
        error.problem += "; the model cannot be used: retrain with 'botify train \(modelName)'"
        return error
    }
}
