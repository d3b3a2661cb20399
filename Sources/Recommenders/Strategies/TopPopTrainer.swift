import Core

/// Popularity from logged listening: tracks by total listened fraction, then the rest of the
/// catalog by catalog popularity.
public struct TopPopTrainer: Trainer {
    public let strategy = "top-pop"

    public init() {}

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        var listened = Array(repeating: Float(0), count: catalog.count)
        for s in sessions { for (t, f) in zip(s.tracks, s.fractions) { listened[Int(t)] += f } }
        let pop = catalog.popularity
        let order = catalog.trackIDs.sorted {
            let a = listened[Int($0)], b = listened[Int($1)]
            if a != b { return a > b }
            return pop[Int($0)] > pop[Int($1)] || (pop[Int($0)] == pop[Int($1)] && $0 < $1)
        }
        var w = ByteWriter()
        w.write(order)
        return (w.bytes, [:], nil)
    }

    static func order(from model: TrainedModel, catalog: Catalog) throws -> [TrackID] {
        try model.check(strategy: "top-pop", catalog: catalog)
        var r = ByteReader(model.payload, what: "model 'top-pop'")
        let order = try r.readInt32s(field: "order")
        guard order.count == catalog.count, Set(order).count == order.count,
              order.allSatisfy({ $0 >= 0 && Int($0) < catalog.count }) else {
            throw InputError(file: "model 'top-pop'", field: "order", "not a permutation of the catalog")
        }
        return order
    }
}
