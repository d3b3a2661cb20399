import Core

/// Item-to-item co-listening (botify's I2IRecommender): an anchor drawn from what the listener
/// heard, weighted by listened fraction, then its best unplayed co-listened neighbour.
public struct I2IRecommender: Recommender {
    public static let strategyName = "i2i"
    public let name = I2IRecommender.strategyName
    public let summary = "people who listened to a track you liked also listened to this (co-listening)"
    let table: NeighbourTable?
    let fallbacks: Fallbacks

    public init(index: CatalogIndex, model: TrainedModel?) throws {
        fallbacks = Fallbacks(index: index)
        table = try NeighbourTable.of(model, strategy: Self.strategyName, catalog: index.catalog)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let table else { return fallbacks.popular(context, because: "i2i not trained yet", using: &rng) }
        let hasUnplayed = { (t: TrackID) -> Bool in
            table.neighbours(of: t).contains { !context.played(table.ids[$0]) }
        }
        if let anchor = AnchorWeight.sample(context, eligible: hasUnplayed, using: &rng) {
            for i in table.neighbours(of: anchor) where !context.played(table.ids[i]) {
                return Recommendation(track: table.ids[i],
                                      reason: "people who played \(context.label(anchor)) played this (score \(formatScore(table.scores[i])))")
            }
        }
        let why = context.session.isEmpty && context.history.isEmpty ? "no listening yet" : "no co-listened track left for what you heard"
        return fallbacks.popular(context, because: why, using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let table else { return fallbacks.popular.candidates(context, k: k, using: &rng) }
        let ranked = AnchorWeight.aggregate(context, table: table).prefix(k + context.session.count).map {
            Recommendation(track: $0.0, reason: "people who played \(context.label($0.2)) played this (score \(formatScore($0.1)))")
        }
        return fillCandidates(Array(ranked), k: k, context: context, fallback: fallbacks.popular, using: &rng)
    }
}

/// Learns co-listening: tracks heard in one session, weighted by the product of their listened
/// fractions, scored by cosine (co-listening / √(listening a · listening b)).
public struct I2ITrainer: Trainer {
    public let strategy = I2IRecommender.strategyName
    /// Neighbours kept per track.
    public var keep = 50
    /// Only the first `window` plays of a very long session pair up, bounding the cost.
    public var window = 64

    public init() {}

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        var mass = Array(repeating: Float(0), count: catalog.count)
        var pairs: [UInt64: Float] = [:]
        for s in sessions {
            let n = min(s.tracks.count, window)
            for i in 0..<n where s.fractions[i] > 0 {
                let a = s.tracks[i]
                mass[Int(a)] += s.fractions[i]
                for j in 0..<n where j != i && s.fractions[j] > 0 && s.tracks[j] != a {
                    pairs[UInt64(UInt32(a)) << 32 | UInt64(UInt32(s.tracks[j])), default: 0] += s.fractions[i] * s.fractions[j]
                }
            }
        }
        for (key, co) in pairs {
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            pairs[key] = co / (mass[a] * mass[b]).squareRoot()
        }
        let table = NeighbourTable(trackCount: catalog.count, pairs: pairs, keep: keep)
        return (table.encoded(), ["keep": Double(keep), "window": Double(window)], nil)
    }
}

func formatScore(_ x: Float) -> String {
    let r = (x * 100).rounded() / 100
    return r == r.rounded() ? "\(Int(r)).00" : String(describing: r)
}
