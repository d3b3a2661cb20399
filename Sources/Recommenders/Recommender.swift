import Core

/// What a recommender knows when it picks the next track.
public struct RecommendationContext: Sendable {
    public var user: Int64
    /// This session's plays so far, in order (at least the listener's first pick).
    public var session: [(track: TrackID, fraction: Float)]
    /// The user's recent plays from earlier sessions, oldest first (may be empty), at most
    /// `historyLimit` of them.
    public var history: [(track: TrackID, fraction: Float)]
    public var catalog: Catalog
    /// Whether the caller shows the pick's reason (the player's why-line). Headless runs store
    /// no reasons and set it false, so a recommender whose reason is costly to compute (the
    /// ranker's feature contributions: a third of its `next()`) may return a short one. A
    /// pick never depends on it. `candidates` may leave each reason empty when it is false
    /// (the ranker asks its generators so: it reads their tracks only), with the same tracks
    /// in the same order (`StrategyContractTests.quietCandidates`).
    public var explains = true

    /// How many earlier plays a recommender is handed, in the player and the simulator alike.
    public static let historyLimit = 200

    public init(user: Int64, session: [(track: TrackID, fraction: Float)],
                history: [(track: TrackID, fraction: Float)] = [], catalog: Catalog) {
        self.user = user
        self.session = session
        self.history = history
        self.catalog = catalog
    }

    public var lastTrack: TrackID? { session.last?.track }

    /// Appends finished plays to `history`, dropping the oldest beyond `historyLimit`.
    public mutating func remember(_ plays: [(track: TrackID, fraction: Float)]) {
        history.append(contentsOf: plays)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// Whether `track` was already heard in this session (recommenders avoid repeats).
    public func played(_ track: TrackID) -> Bool { session.contains { $0.track == track } }
}

/// A chosen track and, for people, why it was chosen ("same artist as …").
public struct Recommendation: Sendable, Equatable {
    public var track: TrackID
    public var reason: String
    /// The name a play of this pick records as `recommended_by` when it is not the strategy's
    /// own: a remote strategy that fell back says so here ("random-fresh (fallback for
    /// http://…: timeout)"). Nil means the strategy's name.
    public var recommendedBy: String?
    public init(track: TrackID, reason: String, recommendedBy: String? = nil) {
        self.track = track
        self.reason = reason
        self.recommendedBy = recommendedBy
    }
}

/// A strategy that picks every next track (docs/ARCHITECTURE.md §5). Implementations must never return a
/// track already played in the session while others remain, and never crash on an unknown
/// user, an empty history or a tiny catalog: they fall back and say so in the reason.
public protocol Recommender: Sendable {
    /// Menu and command-line name, e.g. "sticky-artist".
    var name: String { get }
    /// One line for menus and `--help`.
    var summary: String { get }
    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation
    /// Up to `k` candidates in preference order: the ranked list offline evaluation scores
    /// (HR@10, NDCG@10) and fallbacks fill from. The player's "up next" draws ahead with `next`.
    func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation]
    /// Whether `next` may answer differently for sessions that differ only in the fractions of
    /// their plays, i.e. whether skipping the track now playing instead of hearing it to the end
    /// can change the next pick. The player's "up next" says so when it can. Defaults to true
    /// (the safe answer); false is a promise `OutcomeBlindnessTests` checks.
    var readsFractions: Bool { get }
    /// Called once when a session ends, with the whole session in `context` (its last play is
    /// the track heard last). A remote strategy tells its service (the course's `/last`); the
    /// others ignore it (the default).
    func sessionEnded(_ context: RecommendationContext)
    /// Whether `next` may be asked about plays that have not happened yet (the player's "Up
    /// next" draws picks ahead, as if each track were heard to the end). False for a remote
    /// strategy: its service takes every `/next` as a listen and keeps it, so a question asked
    /// ahead would change what it answers later. Defaults to true.
    var answersAhead: Bool { get }
}

extension Recommender {
    public var readsFractions: Bool { true }
    public func sessionEnded(_ context: RecommendationContext) {}
    public var answersAhead: Bool { true }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        var seen = Set<TrackID>()
        var out: [Recommendation] = []
        for _ in 0..<(k * 4) where out.count < k {
            let r = next(context, using: &rng)
            if seen.insert(r.track).inserted { out.append(r) }
        }
        return out
    }
}
