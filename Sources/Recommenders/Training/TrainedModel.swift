import Core

/// A trained model as stored in the database: what it was trained on, how, how long it took,
/// and the strategy-specific payload. Encodes to one byte blob.
public struct TrainedModel: Sendable, Equatable {
    public var strategy: String
    /// `Catalog.fingerprint` of the catalog it was trained for; other catalogs refuse it.
    public var catalogFingerprint: String
    /// Hyper-parameters by name (factors, iterations, alpha, …), for display and audit.
    public var parameters: [String: Double]
    /// Range of logged session ids it saw (nil when it saw none).
    public var firstSessionID: Int64?
    public var lastSessionID: Int64?
    public var sessionCount: Int
    public var playCount: Int
    public var trainingSeconds: Double
    /// Final training loss, when the method has one.
    public var loss: Double?
    public var payload: [UInt8]

    public init(strategy: String, catalogFingerprint: String, parameters: [String: Double],
                firstSessionID: Int64?, lastSessionID: Int64?, sessionCount: Int, playCount: Int,
                trainingSeconds: Double, loss: Double?, payload: [UInt8]) {
        self.strategy = strategy
        self.catalogFingerprint = catalogFingerprint
        self.parameters = parameters
        self.firstSessionID = firstSessionID
        self.lastSessionID = lastSessionID
        self.sessionCount = sessionCount
        self.playCount = playCount
        self.trainingSeconds = trainingSeconds
        self.loss = loss
        self.payload = payload
    }

    private static let magic: UInt32 = 0x4C44_4D42  // "BMDL"
    private static let version: UInt32 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(Self.magic)
        w.write(Self.version)
        w.write(strategy)
        w.write(catalogFingerprint)
        w.write(UInt32(parameters.count))
        for key in parameters.keys.sorted() {
            w.write(key)
            w.write(parameters[key]!)
        }
        w.write(firstSessionID ?? -1)
        w.write(lastSessionID ?? -1)
        w.write(Int64(sessionCount))
        w.write(Int64(playCount))
        w.write(trainingSeconds)
        w.write(loss ?? .nan)
        w.write(payload)
        return w.bytes
    }

    public init(bytes: [UInt8], what: String = "model") throws {
        var r = ByteReader(bytes, what: what)
        guard try r.read(UInt32.self, field: "magic") == Self.magic else {
            throw InputError(file: what, field: "magic", "not a botify model")
        }
        let version = try r.read(UInt32.self, field: "version")
        guard version == Self.version else {
            throw InputError(file: what, field: "version", value: String(version), "unsupported model version")
        }
        strategy = try r.readString(field: "strategy")
        catalogFingerprint = try r.readString(field: "catalogFingerprint")
        let n = try r.read(UInt32.self, field: "parameters")
        var parameters: [String: Double] = [:]
        for _ in 0..<n {
            let key = try r.readString(field: "parameter name")
            parameters[key] = try r.readDouble(field: key)
        }
        self.parameters = parameters
        let first = try r.read(Int64.self, field: "firstSessionID")
        let last = try r.read(Int64.self, field: "lastSessionID")
        firstSessionID = first < 0 ? nil : first
        lastSessionID = last < 0 ? nil : last
        sessionCount = Int(try r.read(Int64.self, field: "sessionCount"))
        playCount = Int(try r.read(Int64.self, field: "playCount"))
        trainingSeconds = try r.readDouble(field: "trainingSeconds")
        let loss = try r.readDouble(field: "loss")
        self.loss = loss.isNaN ? nil : loss
        payload = try r.readBytes(field: "payload")
        guard r.isAtEnd else { throw InputError(file: what, field: "end", "trailing bytes after the model") }
    }

    /// Refuses a model trained for another catalog, or for another strategy.
    public func check(strategy expected: String, catalog: Catalog) throws {
        guard strategy == expected else {
            throw InputError(field: "model", value: strategy, "model belongs to strategy '\(strategy)', not '\(expected)'")
        }
        let fingerprint = catalog.fingerprint
        guard catalogFingerprint == fingerprint else {
            throw InputError(field: "model", value: strategy,
                             "model was trained for another catalog (fingerprint \(catalogFingerprint), this catalog \(catalog.source) is \(fingerprint)); retrain with 'botify train \(strategy)'")
        }
    }
}
