import Core

/// Per-track ranked neighbours with scores, as CSR: the learned table behind `i2i` and
/// `markov`. Neighbours of t are `ids[offsets[t]..<offsets[t + 1]]`, best first.
public struct NeighbourTable: Sendable, Equatable {
    public let offsets: [Int32]
    public let ids: [TrackID]
    public let scores: [Float]

    public var trackCount: Int { offsets.count - 1 }

    public func neighbours(of t: TrackID) -> Range<Int> {
        Int(offsets[Int(t)])..<Int(offsets[Int(t) + 1])
    }

    /// A table as it is (imported lists): `offsets` has trackCount + 1 entries.
    init(offsets: [Int32], ids: [TrackID], scores: [Float]) {
        self.offsets = offsets
        self.ids = ids
        self.scores = scores
    }

    /// Keeps the best `keep` of each track's weighted pairs. `pairs` maps (a << 32 | b) to a score.
    init(trackCount: Int, pairs: [UInt64: Float], keep: Int) {
        var perTrack = Array(repeating: [(TrackID, Float)](), count: trackCount)
        for (key, score) in pairs {
            perTrack[Int(key >> 32)].append((TrackID(truncatingIfNeeded: key & 0xFFFF_FFFF), score))
        }
        var offsets: [Int32] = [0]
        var ids: [TrackID] = []
        var scores: [Float] = []
        for var list in perTrack {
            list.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            for (id, s) in list.prefix(keep) {
                ids.append(id)
                scores.append(s)
            }
            offsets.append(Int32(ids.count))
        }
        self.offsets = offsets
        self.ids = ids
        self.scores = scores
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(offsets)
        w.write(ids)
        w.write(scores)
        return w.bytes
    }

    /// The table a trained i2i or markov model carries, once the model is checked to be this
    /// strategy's and this catalog's; nil when the strategy is not trained yet.
    static func of(_ model: TrainedModel?, strategy: String, catalog: Catalog) throws -> NeighbourTable? {
        guard let model else { return nil }
        try model.check(strategy: strategy, catalog: catalog)
        return try NeighbourTable(bytes: model.payload, trackCount: catalog.count, what: "model '\(strategy)'")
    }

    init(bytes: [UInt8], trackCount: Int, what: String) throws {
        var r = ByteReader(bytes, what: what)
        offsets = try r.readInt32s(field: "offsets")
        ids = try r.readInt32s(field: "neighbours")
        scores = try r.readFloats(field: "scores")
        guard offsets.count == trackCount + 1, offsets.first == 0, Int(offsets.last!) == ids.count,
              scores.count == ids.count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
              ids.allSatisfy({ $0 >= 0 && Int($0) < trackCount }), r.isAtEnd else {
            throw InputError(file: what, field: "neighbours", "corrupt neighbour table")
        }
    }
}
