import Core
import Recommenders

/// The ranker's payload inside a `TrainedModel`: the feature names it was trained on, the
/// generators with the models they had when the training features were computed (so serving
/// computes the same features, no training/serving skew), and XGBoost's own model buffer.
public struct RankerModel: Sendable {
    public var featureNames: [String]
    public var k: Int
    /// Generator names in feature order, each with the model it was trained with (nil for the
    /// untrained ones: content-knn, sticky-artist).
    public var generators: [(name: String, model: TrainedModel?)]
    public var booster: [UInt8]

    public init(featureNames: [String], k: Int, generators: [(name: String, model: TrainedModel?)], booster: [UInt8]) {
        self.featureNames = featureNames
        self.k = k
        self.generators = generators
        self.booster = booster
    }

    private static let magic: UInt32 = 0x4B4E_5242  // "BRNK"
    private static let version: UInt32 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(Self.magic)
        w.write(Self.version)
        w.write(UInt32(featureNames.count))
        for n in featureNames { w.write(n) }
        w.write(UInt32(k))
        w.write(UInt32(generators.count))
        for g in generators {
            w.write(g.name)
            w.write(g.model?.encoded() ?? [])
        }
        w.write(booster)
        return w.bytes
    }

    /// Decodes and refuses a payload whose features are not the ones this build computes for
    /// its generators (a model from another feature set would read columns as other columns).
    public init(bytes: [UInt8], what: String) throws {
        var r = ByteReader(bytes, what: what)
        guard try r.read(UInt32.self, field: "magic") == Self.magic else {
            throw InputError(file: what, field: "magic", "not a ranker model")
        }
        let version = try r.read(UInt32.self, field: "version")
        guard version == Self.version else {
            throw InputError(file: what, field: "version", value: String(version), "unsupported ranker model version")
        }
        let n = try r.read(UInt32.self, field: "feature count")
        guard n <= 10_000 else { throw InputError(file: what, field: "feature count", value: String(n), "implausible") }
        featureNames = try (0..<n).map { _ in try r.readString(field: "feature name") }
        k = Int(try r.read(UInt32.self, field: "k"))
        let g = try r.read(UInt32.self, field: "generator count")
        guard g <= 64 else { throw InputError(file: what, field: "generator count", value: String(g), "implausible") }
        generators = try (0..<g).map { _ in
            let name = try r.readString(field: "generator")
            let bytes = try r.readBytes(field: "\(name) model")
            return (name, bytes.isEmpty ? nil : try TrainedModel(bytes: bytes, what: "\(what) (\(name))"))
        }
        booster = try r.readBytes(field: "booster")
        guard r.isAtEnd else { throw InputError(file: what, field: "end", "trailing bytes after the ranker model") }
        let expected = RankerFeatures.names(generators: generators.map(\.name))
        guard featureNames == expected else {
            throw InputError(file: what, field: "features", value: "\(featureNames.count) features",
                             "the model was trained on another feature set than this botify computes (\(expected.count) features); retrain with 'botify train ranker'")
        }
    }
}
