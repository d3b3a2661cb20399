import Core

/// Nearest neighbours of the last well-heard track in public audio-feature space (each feature
/// standardised to mean 0, variance 1), served from an HNSW index built in-process.
public struct ContentKNNRecommender: Recommender {
    public static let strategyName = "content-knn"
    public let name = ContentKNNRecommender.strategyName
    public static let about = "tracks that sound like the last one you liked (audio features, HNSW)"
    public var summary: String { Self.about }
    public static let goodListen: Float = 0.3
    public let index: HNSWIndex?
    public let efSearch: Int
    let fallbacks: Fallbacks
    let pool = ScratchPool { HNSWScratch() }

    public init(index catalogIndex: CatalogIndex, hnsw: HNSWParameters = HNSWParameters(m: 12, efConstruction: 100),
                efSearch: Int = 16) {
        fallbacks = Fallbacks(index: catalogIndex)
        self.efSearch = efSearch
        let catalog = catalogIndex.catalog
        guard catalog.hasFeatures else {
            index = nil
            return
        }
        index = HNSWIndex(vectors: Self.standardised(catalog), dimension: Catalog.featureCount, metric: .l2, parameters: hnsw)
    }

    static func standardised(_ catalog: Catalog) -> [Float] {
        let d = Catalog.featureCount, n = catalog.count
        var out = catalog.features
        for f in 0..<d {
            var mean = 0.0, sq = 0.0
            for i in 0..<n { mean += Double(out[i * d + f]) }
            mean /= Double(n)
            for i in 0..<n { sq += (Double(out[i * d + f]) - mean) * (Double(out[i * d + f]) - mean) }
            let sd = (sq / Double(n)).squareRoot()
            let scale = sd > 0 ? Float(1 / sd) : 0
            for i in 0..<n { out[i * d + f] = (out[i * d + f] - Float(mean)) * scale }
        }
        return out
    }

    /// The most recent track heard at least `goodListen`, else the last track.
    static func anchor(_ context: RecommendationContext) -> TrackID? {
        context.session.last(where: { $0.fraction >= goodListen })?.track ?? context.lastTrack
    }

    func neighbours(of anchor: TrackID, _ context: RecommendationContext, k: Int) -> [(TrackID, Float)] {
        guard let index else { return [] }
        return pool.with { scratch in
            let want = k + context.session.count
            index.search(index.storedVector(anchor), k: want, ef: max(efSearch, want), scratch: &scratch)
            var out: [(TrackID, Float)] = []
            for (id, d) in zip(scratch.ids, scratch.distances) where out.count < k && !context.played(id) && id != anchor {
                out.append((id, d.squareRoot()))
            }
            return out
        }
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard index != nil else { return fallbacks.random(context, because: "catalog has no audio features", using: &rng) }
        guard let anchor = Self.anchor(context) else { return fallbacks.random(context, because: "empty session", using: &rng) }
        if let (t, d) = neighbours(of: anchor, context, k: 1).first {
            return Recommendation(track: t, reason: "sounds like \(context.label(anchor)) (feature distance \(formatScore(d)))")
        }
        return fallbacks.random(context, because: "every close neighbour already played", using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let anchor = Self.anchor(context) else { return fallbacks.random.candidates(context, k: k, using: &rng) }
        let ranked = neighbours(of: anchor, context, k: k).map {
            Recommendation(track: $0.0, reason: context.explains ? "sounds like \(context.label(anchor)) (feature distance \(formatScore($0.1)))" : "")
        }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }
}
