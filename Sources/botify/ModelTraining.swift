import Core
import Foundation
import Recommenders
import Storage

/// A model just trained and stored, with what `train` and `simulate --retrain` print about it.
struct StoredModel {
    var model: TrainedModel
    var id: Int64
    var bytes: Int

    /// "trained als on 300 sessions (1800 plays, ids 1–300) in 0.12 s, loss …; stored as model #3 (… bytes)"
    var line: String {
        var line = "trained \(model.strategy) on \(model.sessionCount) sessions (\(model.playCount) plays"
        if let f = model.firstSessionID, let l = model.lastSessionID { line += ", ids \(f)–\(l)" }
        line += ") in \(String(format: "%.2f", model.trainingSeconds)) s"
        if let loss = model.loss { line += ", loss \(String(format: "%.5f", loss))" }
        return line + "; stored as model #\(id) (\(bytes) bytes)"
    }
}

/// The one way botify trains a strategy on logged sessions and stores the model, so the
/// strategies (which load the newest model per catalog) see it.
func trainAndStore(_ strategy: Strategy, sessions: [ListeningSession], catalog: Catalog,
                   options: TrainingOptions, in database: BotifyDatabase) throws -> StoredModel {
    guard let trainer = strategy.trainer else {
        throw InputError(field: "strategy", value: strategy.name,
                         "has no model to train; trainable: \(StrategyRegistry.standard.trainableNames.joined(separator: ", "))")
    }
    let model = try trainer.train(sessions, catalog: catalog, options: options)
    let blob = model.encoded()
    let id = try database.models.save(ModelRecord(
        strategy: model.strategy, catalogFingerprint: model.catalogFingerprint,
        params: parametersJSON(model.parameters),
        sessionRange: model.firstSessionID.flatMap { f in model.lastSessionID.map { f...$0 } },
        trainedAt: Date().timeIntervalSince1970, trainingSeconds: model.trainingSeconds,
        loss: model.loss, blob: Data(blob)))
    return StoredModel(model: model, id: id, bytes: blob.count)
}

/// Parameters as a JSON object with sorted keys (the models table keeps them as text).
func parametersJSON(_ parameters: [String: Double]) -> String {
    let body = parameters.keys.sorted().map { key in
        let v = parameters[key]!
        let text = v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        return "\"\(key)\":\(text)"
    }
    return "{" + body.joined(separator: ",") + "}"
}
