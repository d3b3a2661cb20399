import Core

/// Another track by the previous track's artist (botify's StickyArtist).
public struct StickyArtistRecommender: Recommender {
    public let name = "sticky-artist"
    public let summary = "another track by the artist just played"
    let index: CatalogIndex
    let fallbacks: Fallbacks

    public init(index: CatalogIndex) {
        self.index = index
        fallbacks = Fallbacks(index: index)
    }

    /// A random unplayed track by `anchor`'s artist, or nil when the artist is exhausted.
    func sameArtist(as anchor: TrackID, _ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation? {
        let tracks = index.tracks(byArtist: index.catalog.artist(anchor))
        guard tracks.count > 1 else { return nil }
        let reason = { "same artist as '\(context.catalog.title(anchor))' (\(context.catalog.artistName(anchor)))" }
        for _ in 0..<8 {
            let t = tracks[tracks.startIndex + rng.nextIndex(tracks.count)]
            if !context.played(t) { return Recommendation(track: t, reason: reason()) }
        }
        // Few left: start the scan at a random offset so the pick is not always the same.
        let start = rng.nextIndex(tracks.count)
        for i in 0..<tracks.count {
            let t = tracks[tracks.startIndex + (start + i) % tracks.count]
            if !context.played(t) { return Recommendation(track: t, reason: reason()) }
        }
        return nil
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let last = context.lastTrack else { return fallbacks.random(context, because: "empty session", using: &rng) }
        if let r = sameArtist(as: last, context, using: &rng) { return r }
        return fallbacks.random(context, because: "no other unplayed track by \(context.catalog.artistName(last))", using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let last = context.lastTrack else { return fallbacks.random.candidates(context, k: k, using: &rng) }
        let reason = "same artist as '\(context.catalog.title(last))' (\(context.catalog.artistName(last)))"
        let ranked = index.tracks(byArtist: index.catalog.artist(last)).map { Recommendation(track: $0, reason: reason) }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }
}

/// Sticky artist after a good listen, random after a skip.
public struct StickyMixedRecommender: Recommender {
    public let name = "sticky-mixed"
    public let summary = "same artist after a good listen (≥ 0.3 heard), random after a skip"
    public static let goodListen: Float = 0.3
    let sticky: StickyArtistRecommender

    public init(index: CatalogIndex) { sticky = StickyArtistRecommender(index: index) }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let last = context.session.last else {
            return sticky.fallbacks.random(context, because: "empty session", using: &rng)
        }
        if last.fraction >= Self.goodListen { return sticky.next(context, using: &rng) }
        var r = sticky.fallbacks.random.next(context, using: &rng)
        r.reason = "last track skipped (heard \(Int((last.fraction * 100).rounded()))%): \(r.reason)"
        return r
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        if let last = context.session.last, last.fraction >= Self.goodListen {
            return sticky.candidates(context, k: k, using: &rng)
        }
        return sticky.fallbacks.random.candidates(context, k: k, using: &rng)
    }
}
