import Foundation
import Recommenders

extension StoredModel {
    /// What `train` and `simulate --retrain` print about a model `ModelService` just stored:
    /// "trained als on 300 sessions (1800 plays, ids 1–300) in 0.12 s, loss …; stored as model #3 (… bytes)"
    var line: String {
        var line = "trained \(model.strategy) on \(model.sessionCount) sessions (\(model.playCount) plays"
        if let f = model.firstSessionID, let l = model.lastSessionID { line += ", ids \(f)–\(l)" }
        line += ") in \(String(format: "%.2f", model.trainingSeconds)) s"
        if let loss = model.loss { line += ", loss \(String(format: "%.5f", loss))" }
        return line + "; stored as model #\(id) (\(bytes) bytes)"
    }
}
