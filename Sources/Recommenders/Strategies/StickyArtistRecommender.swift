import Core

/// `sticky-artist`, the course's `StickyArtist` (`botify/recommenders/sticky_artist.py`): it
/// looks up the previous track's artist and answers a uniform draw among that artist's other
/// tracks, or the previous track itself when the artist has only one
/// (`[t for t in artist_tracks if t != prev_track] or artist_tracks`). Like the course service
/// it remembers nothing of the session: a track heard two plays ago may come back (the course's
/// listener hears a repeat for 0), and a single-track artist repeats forever. With no previous
/// track (never the case in a course session) it answers the course's `random`.
public struct StickyArtistRecommender: Recommender {
    public static let strategyName = "sticky-artist"
    /// Reads only which tracks were played, never how far.
    public var readsFractions: Bool { false }
    public let name = StickyArtistRecommender.strategyName
    public static let about = "another track by the artist just played, with no memory of the session (the course's StickyArtist)"
    public var summary: String { Self.about }
    let index: CatalogIndex
    let fallbacks: Fallbacks

    public init(index: CatalogIndex) {
        self.index = index
        fallbacks = Fallbacks(index: index)
    }

    /// A uniform draw among `anchor`'s artist's tracks other than `anchor`, or `anchor` itself.
    func sameArtist(as anchor: TrackID, _ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let tracks = index.tracks(byArtist: index.catalog.artist(anchor))
        guard tracks.count > 1 else {
            return Recommendation(track: anchor, reason: "the only track by \(context.catalog.artistName(anchor)): playing it again")
        }
        // Uniform over the other n − 1: draw a slot among the first n − 1 and, if it holds the
        // anchor, take the last slot instead (the anchor is in its artist's list exactly once).
        var t = tracks[tracks.startIndex + rng.nextIndex(tracks.count - 1)]
        if t == anchor { t = tracks[tracks.endIndex - 1] }
        let again = context.played(t) ? ", already played this session" : ""
        return Recommendation(track: t, reason: "same artist as '\(context.catalog.title(anchor))' (\(context.catalog.artistName(anchor)))\(again)")
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let last = context.lastTrack else { return fallbacks.courseRandom(context, because: "empty session", using: &rng) }
        return sameArtist(as: last, context, using: &rng)
    }

    /// The ranked candidates: the artist's unplayed tracks, then random ones.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        FreshStickyArtistRecommender(index: index).candidates(context, k: k, using: &rng)
    }
}

/// `sticky-artist-fresh`, botify's improved sticky artist: a random track by the previous
/// track's artist that this session has not played; `random-fresh` when the artist has none left.
public struct FreshStickyArtistRecommender: Recommender {
    public static let strategyName = "sticky-artist-fresh"
    /// Reads only which tracks were played, never how far.
    public var readsFractions: Bool { false }
    public let name = FreshStickyArtistRecommender.strategyName
    public static let about = "another track by the artist just played, never one already heard this session"
    public var summary: String { Self.about }
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
        let reason = context.explains ? "same artist as '\(context.catalog.title(last))' (\(context.catalog.artistName(last)))" : ""
        let ranked = index.tracks(byArtist: index.catalog.artist(last)).map { Recommendation(track: $0, reason: reason) }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }
}

/// `sticky-mixed`, the course's `StickyArtistMixed` (`botify/recommenders/sticky_artist_mixed.py`):
/// when the previous track was heard for less than 0.3 (`prev_track_time < 0.3`) it answers the
/// course's `random`; otherwise exactly what `sticky-artist` answers (the artist's other tracks,
/// no memory of the session). Repeats happen in both branches.
public struct StickyMixedRecommender: Recommender {
    public static let strategyName = "sticky-mixed"
    public let name = StickyMixedRecommender.strategyName
    public static let about = "same artist after a good listen (≥ 0.3 heard), random after a skip; repeats allowed (the course's StickyArtistMixed)"
    public var summary: String { Self.about }
    public static let goodListen: Float = 0.3
    let sticky: StickyArtistRecommender

    public init(index: CatalogIndex) { sticky = StickyArtistRecommender(index: index) }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let last = context.session.last else {
            return sticky.fallbacks.courseRandom(context, because: "empty session", using: &rng)
        }
        if !(last.fraction < Self.goodListen) { return sticky.next(context, using: &rng) }
        var r = sticky.fallbacks.courseRandom.next(context, using: &rng)
        r.reason = "last track skipped (heard \(Int((last.fraction * 100).rounded()))%): \(r.reason)"
        return r
    }

    /// The ranked candidates list unplayed tracks only, as `sticky-mixed-fresh`'s do.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        FreshStickyMixedRecommender(index: sticky.index).candidates(context, k: k, using: &rng)
    }
}

/// `sticky-mixed-fresh`, botify's improved mixed strategy: `sticky-artist-fresh` if the last
/// play's fraction is ≥ 0.3, else `random-fresh`; never a track already heard this session.
public struct FreshStickyMixedRecommender: Recommender {
    public static let strategyName = "sticky-mixed-fresh"
    public let name = FreshStickyMixedRecommender.strategyName
    public static let about = "same artist after a good listen (≥ 0.3 heard), random after a skip; never a repeat"
    public var summary: String { Self.about }
    public static let goodListen: Float = StickyMixedRecommender.goodListen
    let sticky: FreshStickyArtistRecommender

    public init(index: CatalogIndex) { sticky = FreshStickyArtistRecommender(index: index) }

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
