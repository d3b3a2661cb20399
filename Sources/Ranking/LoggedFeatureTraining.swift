import Core
import Recommenders

/// Feature vectors logged at serving time under one feature set (`ServingFeatureLog`), read
/// back for training: the set says what computed them, each row which play it describes.
public struct LoggedRankerRows: Sendable {
    public typealias Row = LoggedFeatureRow

    /// Names, K and generator models (a `RankerModel` without trees).
    public var featureSet: RankerModel
    /// In (session, position) order.
    public var rows: [Row]

    public init(featureSet: RankerModel, rows: [Row]) {
        self.featureSet = featureSet
        self.rows = rows
    }
}

extension RankerTrainer {
    /// Learns from logged vectors and the fraction each logged play was heard: nothing is
    /// recomputed, so the trees see exactly what serving computed. The model serves with the
    /// set's generators and their models, the ones that computed the vectors. Rows whose play
    /// is not among `sessions` (another source, say) are left out; the newest `maxRows` stay.
    func fitLogged(_ logged: LoggedRankerRows, sessions: [ListeningSession], options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        let set = logged.featureSet
        let columns = set.featureNames.count
        var fractions: [Int64: [Float]] = [:]
        for s in sessions { fractions[s.sessionID] = s.fractions }
        var kept: [(values: [Float], label: Float)] = []
        for row in logged.rows {
            guard let f = fractions[row.sessionID], row.position >= 1, Int(row.position) < f.count else { continue }
            guard row.values.count == columns else {
                throw InputError(field: "logged features of session \(row.sessionID) position \(row.position)",
                                 value: "\(row.values.count) values", "the feature set has \(columns) columns")
            }
            kept.append((row.values, min(max(f[Int(row.position)], 0), 1)))
        }
        if kept.count > boost.maxRows { kept.removeFirst(kept.count - boost.maxRows) }
        guard !kept.isEmpty else {
            throw InputError(field: "logged features",
                             "no logged feature vector belongs to a play among the sessions read; log some with 'simulate --log-features'")
        }
        var matrix = FeatureMatrix(columns: columns)
        matrix.values.reserveCapacity(kept.count * columns)
        for k in kept { matrix.values.append(contentsOf: k.values) }
        let labels = kept.map(\.label)
        try hideAblated(&matrix, names: set.featureNames)
        let booster = try Booster.train(features: matrix, labels: labels, parameters: xgboostParameters(options), rounds: boost.rounds)
        let predictions = try booster.predict(matrix)
        let squared = zip(predictions, labels).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        let model = RankerModel(featureNames: set.featureNames, k: set.k, generators: set.generators, booster: try booster.saved())
        let parameters: [String: Double] = [
            "rounds": Double(boost.rounds), "depth": Double(boost.depth), "eta": boost.eta, "k": Double(set.k),
            "rows": Double(labels.count), "features": Double(columns), "seed": Double(options.seed), "logged features": 1,
            "rows proposed": Double(Self.proposedRows(matrix, generators: set.generators.count)),
        ].merging(boost.ablated.map { ("ablated \($0)", 1) }) { a, _ in a }
        return (model.encoded(), parameters, (squared / Double(labels.count)).squareRoot())
    }
}
