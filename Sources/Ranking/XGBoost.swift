import CXGBoost
import Core
import Foundation

/// A dense row-major matrix of features; NaN marks a missing value (XGBoost learns a default
/// direction for it at every split, so "this generator did not propose the track" needs no
/// made-up number).
public struct FeatureMatrix: Sendable, Equatable {
    public var columns: Int
    public var values: [Float]

    public init(columns: Int, values: [Float] = []) {
        precondition(columns > 0)
        self.columns = columns
        self.values = values
    }

    public var rows: Int { values.count / columns }

    public func row(_ i: Int) -> [Float] { Array(values[i * columns..<(i + 1) * columns]) }
}

/// A gradient-boosted tree model behind XGBoost's C API. The handle is not safe for
/// concurrent calls (predictions return a buffer the booster owns until its next call), so
/// every call takes the lock; the simulator's threads share one booster.
public final class Booster: @unchecked Sendable {
    private let handle: BoosterHandle
    private let lock = NSLock()
    public let featureCount: Int

    private init(handle: BoosterHandle, featureCount: Int) {
        self.handle = handle
        self.featureCount = featureCount
    }

    deinit { XGBoosterFree(handle) }

    /// Trains `rounds` boosting rounds on `features` with `labels`. `parameters` are XGBoost's
    /// own (`objective`, `max_depth`, `eta`, `seed`, `nthread`, …), set in the order given.
    public static func train(features: FeatureMatrix, labels: [Float], parameters: [(String, String)],
                             rounds: Int) throws -> Booster {
        guard features.rows > 0, labels.count == features.rows else {
            throw InputError(field: "training rows", value: String(labels.count), "XGBoost needs one label per feature row and at least one row")
        }
        let matrix = try DMatrix(features)
        defer { XGDMatrixFree(matrix.handle) }
        try check(labels.withUnsafeBufferPointer {
            XGDMatrixSetFloatInfo(matrix.handle, "label", $0.baseAddress, bst_ulong(labels.count))
        }, "setting labels")
        var handle: BoosterHandle?
        var dmats: [DMatrixHandle?] = [matrix.handle]
        try check(XGBoosterCreate(&dmats, 1, &handle), "creating a booster")
        let booster = Booster(handle: handle!, featureCount: features.columns)
        for (name, value) in parameters {
            try check(XGBoosterSetParam(handle, name, value), "setting \(name)=\(value)")
        }
        for round in 0..<rounds {
            try check(XGBoosterUpdateOneIter(handle, Int32(round), matrix.handle), "boosting round \(round)")
        }
        return booster
    }

    /// Reads a model saved by `saved()`; `nthread` is the prediction's thread count (1 at
    /// serving: one row per call, where OpenMP's start-up would cost more than it saves).
    public convenience init(buffer: [UInt8], nthread: Int = 1, what: String = "XGBoost model") throws {
        var handle: BoosterHandle?
        try Self.check(XGBoosterCreate(nil, 0, &handle), "creating a booster")
        let status = buffer.withUnsafeBytes { XGBoosterLoadModelFromBuffer(handle, $0.baseAddress, bst_ulong(buffer.count)) }
        guard status == 0 else {
            XGBoosterFree(handle)
            throw InputError(file: what, "XGBoost cannot read the model: \(Self.lastError)")
        }
        var features: bst_ulong = 0
        try Self.check(XGBoosterGetNumFeature(handle, &features), "reading the feature count")
        self.init(handle: handle!, featureCount: Int(features))
        try Self.check(XGBoosterSetParam(handle, "nthread", String(nthread)), "setting nthread")
    }

    /// The model in XGBoost's own JSON format (XGBoosterSaveModelToBuffer): every tree and the
    /// learner's parameters, byte-for-byte the same for the same model.
    public func saved() throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var length: bst_ulong = 0
        var pointer: UnsafePointer<CChar>?
        try Self.check(XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &pointer), "saving the model")
        return pointer!.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    /// One prediction per row (the objective's transformed output: a fraction for reg:logistic).
    public func predict(_ features: FeatureMatrix) throws -> [Float] {
        try run(features, mask: botify_xgb_predict_normal, expected: features.rows)
    }

    /// Per row, `columns + 1` SHAP contributions in margin (log-odds) units, the bias last;
    /// they add up to the margin of the prediction (XGBoost's `pred_contribs`).
    public func contributions(_ features: FeatureMatrix) throws -> [Float] {
        try run(features, mask: botify_xgb_predict_contributions, expected: features.rows * (features.columns + 1))
    }

    private func run(_ features: FeatureMatrix, mask: Int32, expected: Int) throws -> [Float] {
        guard features.rows > 0 else { return [] }
        guard features.columns == featureCount else {
            throw InputError(field: "features", value: String(features.columns), "the model expects \(featureCount) features")
        }
        let matrix = try DMatrix(features)
        defer { XGDMatrixFree(matrix.handle) }
        lock.lock()
        defer { lock.unlock() }
        var length: bst_ulong = 0
        var out: UnsafePointer<Float>?
        try Self.check(XGBoosterPredict(handle, matrix.handle, mask, 0, 0, &length, &out), "predicting")
        guard Int(length) == expected, let out else {
            throw InputError(field: "prediction", value: String(length), "XGBoost returned \(length) values, expected \(expected)")
        }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    static var lastError: String { String(cString: XGBGetLastError()) }

    static func check(_ status: Int32, _ what: String) throws {
        guard status == 0 else { throw InputError(field: "xgboost", "\(what) failed: \(lastError)") }
    }

    private func check(_ status: Int32, _ what: String) throws { try Self.check(status, what) }
}

/// A DMatrix built from a dense matrix; the caller frees it.
private struct DMatrix {
    let handle: DMatrixHandle

    init(_ features: FeatureMatrix) throws {
        var out: DMatrixHandle?
        try Booster.check(features.values.withUnsafeBufferPointer {
            XGDMatrixCreateFromMat($0.baseAddress, bst_ulong(features.rows), bst_ulong(features.columns), Float.nan, &out)
        }, "building a feature matrix")
        handle = out!
    }
}
