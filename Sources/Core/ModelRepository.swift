import Foundation

/// A trained model as stored: what it was trained on, how long it took, and its bytes
/// (`TrainedModel.encoded()`).
public struct ModelRecord: Sendable, Equatable {
    public var id: Int64?
    public var strategy: String
    public var catalogFingerprint: String
    /// Hyper-parameters as JSON text (an object with sorted keys).
    public var params: String
    /// The logged sessions it was trained on (nil when trained on none).
    public var sessionRange: ClosedRange<Int64>?
    /// Seconds since 1970.
    public var trainedAt: Double
    public var trainingSeconds: Double
    public var loss: Double?
    public var blob: Data

    public init(id: Int64? = nil, strategy: String, catalogFingerprint: String, params: String,
                sessionRange: ClosedRange<Int64>?, trainedAt: Double, trainingSeconds: Double,
                loss: Double? = nil, blob: Data) {
        self.id = id
        self.strategy = strategy
        self.catalogFingerprint = catalogFingerprint
        self.params = params
        self.sessionRange = sessionRange
        self.trainedAt = trainedAt
        self.trainingSeconds = trainingSeconds
        self.loss = loss
        self.blob = blob
    }
}

/// Where trained models are kept, without knowing about SQLite (docs/ARCHITECTURE.md §1):
/// Storage's `BotifyDatabase` implements it, tests implement it in memory. Recommenders'
/// `ModelService` is the one thing that trains, encodes and decodes what goes through it.
public protocol ModelRepository: Sendable {
    /// Where the models are, for messages (the database path).
    var location: String { get }
    /// Stores a model; returns its id. Older versions are kept.
    @discardableResult func saveModel(_ record: ModelRecord) throws -> Int64
    /// The newest model of `strategy` for the catalog with `catalogFingerprint` (latest
    /// `trainedAt`, then highest id), or nil.
    func newestModel(strategy: String, catalogFingerprint: String) throws -> ModelRecord?
}
