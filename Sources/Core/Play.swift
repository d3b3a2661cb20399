/// Who was listening when a session was logged.
public enum ListenerSource: String, CaseIterable, Codable, Sendable {
    /// A person at the terminal.
    case human
    /// The simulated listener driving the visible UI (`botify play --bot`).
    case bot
    /// The headless simulator (`botify simulate`, `botify ab`).
    case sim
    /// A remote client driving `botify serve` over the course's protocol (the course simulator).
    case remote
}

/// How a play ended (docs/ARCHITECTURE.md §2). Session length sums the fractions of all three.
public enum PlayOutcome: String, CaseIterable, Codable, Sendable {
    /// Reached the end of the track: fraction 1.0.
    case listened
    /// The listener moved on: fraction = position / duration.
    case skipped
    /// The session ended mid-track (quit, crash recovery).
    case abandoned
}

/// One track heard within a session.
public struct Play: Sendable, Equatable, Codable {
    /// 0 for the track the listener picked, then 1, 2, … for recommended tracks.
    public var position: Int32
    public var track: TrackID
    /// Fraction of the track heard, 0…1.
    public var fraction: Float
    public var outcome: PlayOutcome
    /// The strategy that chose this track; nil for the listener's own first pick.
    public var recommendedBy: String?
    /// Time the recommender took to choose it, in microseconds.
    public var latencyMicros: Float
    /// The listener marked the track with a like while it played (the player's `l`).
    public var liked: Bool

    public init(position: Int32, track: TrackID, fraction: Float, outcome: PlayOutcome,
                recommendedBy: String?, latencyMicros: Float = 0, liked: Bool = false) {
        self.position = position
        self.track = track
        self.fraction = fraction
        self.outcome = outcome
        self.recommendedBy = recommendedBy
        self.latencyMicros = latencyMicros
        self.liked = liked
    }
}

/// What a session says about itself besides its plays: who listened, to which strategy, in
/// which experiment and arm, from which seed and when. `SessionLog` (a finished session) and
/// Storage's `SessionMeta` (a session row about to be written) both carry one, so the fields
/// are declared once; both read them as their own (`log.user`) through dynamic member lookup.
public struct SessionHeader: Sendable, Equatable {
    public var user: Int64
    public var strategy: String
    public var source: ListenerSource
    public var experiment: String?
    public var arm: String?
    public var seed: UInt64?
    /// The interest track a simulated session started from (audit trail); nil for humans.
    public var interestTrack: TrackID?
    /// Seconds since 1970.
    public var startedAt: Double

    public init(user: Int64, strategy: String, source: ListenerSource, experiment: String? = nil, arm: String? = nil,
                seed: UInt64? = nil, interestTrack: TrackID? = nil, startedAt: Double) {
        self.user = user
        self.strategy = strategy
        self.source = source
        self.experiment = experiment
        self.arm = arm
        self.seed = seed
        self.interestTrack = interestTrack
        self.startedAt = startedAt
    }
}

/// A listening session as the simulator or the player produces it, before storage assigns an id.
@dynamicMemberLookup
public struct SessionLog: Sendable, Equatable {
    public var header: SessionHeader
    public var endedAt: Double
    public var plays: [Play]

    public init(user: Int64, strategy: String, source: ListenerSource, experiment: String? = nil, arm: String? = nil,
                seed: UInt64? = nil, interestTrack: TrackID? = nil, startedAt: Double, endedAt: Double, plays: [Play]) {
        header = SessionHeader(user: user, strategy: strategy, source: source, experiment: experiment, arm: arm,
                               seed: seed, interestTrack: interestTrack, startedAt: startedAt)
        self.endedAt = endedAt
        self.plays = plays
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<SessionHeader, T>) -> T {
        get { header[keyPath: field] }
        set { header[keyPath: field] = newValue }
    }

    /// Session length: the sum of listened fractions, the first play included.
    public var length: Double { plays.reduce(0) { $0 + Double($1.fraction) } }
    public var skipCount: Int { plays.filter { $0.fraction < 1 }.count }
}
