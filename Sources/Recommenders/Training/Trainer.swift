import Core
import Dispatch

/// Knobs a trainer may use; each ignores what does not apply to it.
public struct TrainingOptions: Sendable, Equatable {
    public var factors: Int
    public var iterations: Int
    public var alpha: Float
    public var regularization: Float
    public var seed: UInt64
    /// Worker threads for the parallel parts (results do not depend on it).
    public var threads: Int

    public init(factors: Int = 32, iterations: Int = 15, alpha: Float = 10, regularization: Float = 0.05,
                seed: UInt64 = 42, threads: Int = 2) {
        self.factors = factors
        self.iterations = iterations
        self.alpha = alpha
        self.regularization = regularization
        self.seed = seed
        self.threads = threads
    }
}

/// Learns a strategy's model from logged sessions.
public protocol Trainer: Sendable {
    var strategy: String { get }
    /// The payload and any loss; `train` wraps them with the metadata every model carries.
    func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?)
}

extension Trainer {
    /// Trains on `sessions`: refuses an empty log and tracks outside the catalog (a log from
    /// another catalog) with an `InputError`.
    public func train(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions = TrainingOptions()) throws -> TrainedModel {
        let plays = sessions.reduce(0) { $0 + $1.tracks.count }
        guard plays > 0 else {
            throw InputError(field: "plays", "no logged plays to train '\(strategy)' on; run sessions first (botify simulate, or play)")
        }
        for s in sessions {
            guard s.tracks.count == s.fractions.count else {
                throw InputError(field: "session", value: String(s.sessionID), "tracks and fractions differ in length")
            }
            if let bad = s.tracks.first(where: { $0 < 0 || Int($0) >= catalog.count }) {
                throw InputError(field: "session \(s.sessionID) track", value: String(bad),
                                 "track id outside the catalog (\(catalog.count) tracks): the log belongs to another catalog")
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let fit = try fit(sessions, catalog: catalog, options: options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return TrainedModel(strategy: strategy, catalogFingerprint: catalog.fingerprint, parameters: fit.parameters,
                            firstSessionID: sessions.map(\.sessionID).min(), lastSessionID: sessions.map(\.sessionID).max(),
                            sessionCount: sessions.count, playCount: plays, trainingSeconds: seconds,
                            loss: fit.loss, payload: fit.payload)
    }

    public func train(from source: any InteractionSource, filter: InteractionFilter = InteractionFilter(),
                      catalog: Catalog, options: TrainingOptions = TrainingOptions()) throws -> TrainedModel {
        try train(source.sessions(matching: filter), catalog: catalog, options: options)
    }
}
