import Core

/// Next-track transitions: from the last track (or, failing that, an earlier one in the
/// session), the track listeners most often went on to and liked.
public struct MarkovRecommender: Recommender {
    public static let strategyName = "markov"
    /// Reads which tracks were played (and in what order), never how far; its fallback is `top-pop`.
    public var readsFractions: Bool { false }
    public let name = MarkovRecommender.strategyName
    public static let about = "what listeners went on to after the track just played (learned transitions)"
    public var summary: String { Self.about }
    let table: NeighbourTable?
    let fallbacks: Fallbacks

    public init(index: CatalogIndex, model: TrainedModel?) throws {
        fallbacks = Fallbacks(index: index)
        table = try NeighbourTable.of(model, strategy: Self.strategyName, catalog: index.catalog)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let table else { return fallbacks.popular(context, because: "markov not trained yet", using: &rng) }
        for p in context.session.reversed() {
            for i in table.neighbours(of: p.track) where !context.played(table.ids[i]) {
                return Recommendation(track: table.ids[i],
                                      reason: "after \(context.label(p.track)) listeners went on to this (p \(formatScore(table.scores[i])))")
            }
        }
        let why = context.session.isEmpty ? "empty session" : "no learned transition from this session's tracks"
        return fallbacks.popular(context, because: why, using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let table else { return fallbacks.popular.candidates(context, k: k, using: &rng) }
        var ranked: [Recommendation] = []
        for p in context.session.reversed() where ranked.count < k + context.session.count {
            for i in table.neighbours(of: p.track) {
                ranked.append(Recommendation(track: table.ids[i], reason: context.explains
                    ? "after \(context.label(p.track)) listeners went on to this (p \(formatScore(table.scores[i])))" : ""))
            }
        }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.popular, using: &rng)
    }
}

/// Learns transitions a → b between consecutive plays, weighted by how well both were heard
/// (f_a · f_b), as a share of all transitions out of a.
public struct MarkovTrainer: Trainer {
    public let strategy = MarkovRecommender.strategyName
    public var keep = 50

    public init() {}

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        var outgoing = Array(repeating: Float(0), count: catalog.count)
        var pairs: [UInt64: Float] = [:]
        for s in sessions where s.tracks.count > 1 {
            for i in 0..<(s.tracks.count - 1) where s.tracks[i] != s.tracks[i + 1] {
                let a = s.tracks[i], b = s.tracks[i + 1]
                outgoing[Int(a)] += 1
                let w = s.fractions[i] * s.fractions[i + 1]
                if w > 0 { pairs[UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)), default: 0] += w }
            }
        }
        for (key, w) in pairs { pairs[key] = w / outgoing[Int(key >> 32)] }
        let table = NeighbourTable(trackCount: catalog.count, pairs: pairs, keep: keep)
        return (table.encoded(), ["keep": Double(keep)], nil)
    }
}
