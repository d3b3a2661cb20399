/// Plays one recommender chose in a session and how much of them was heard (Σ fraction).
public struct RecommendedPlays: Sendable, Equatable, Codable {
    public var plays: Int
    public var heard: Double
    public init(plays: Int, heard: Double) {
        self.plays = plays
        self.heard = heard
    }
}

/// What a report needs to know about one session: whose it was, how long, how many plays and
/// skips, and which recommenders chose its plays (the listener's own first pick counts for none).
public struct SessionMetrics: Sendable, Equatable {
    public var user: Int64
    public var length: Double
    public var plays: Int
    public var skips: Int
    public var recommended: [String: RecommendedPlays]

    public init(user: Int64, length: Double, plays: Int, skips: Int, recommended: [String: RecommendedPlays] = [:]) {
        self.user = user
        self.length = length
        self.plays = plays
        self.skips = skips
        self.recommended = recommended
    }

    /// A session whose plays more than one strategy chose (the player switched live).
    public var isMixed: Bool { recommended.count > 1 }

    /// The strategy a single-strategy session belongs to: the one that chose its plays, or
    /// `started` when none was chosen (the listener left after the first track).
    public func strategy(started: String) -> String? {
        isMixed ? nil : recommended.keys.first ?? started
    }

    /// A headless session: the listener's first pick is heard in full (fraction 1, no
    /// recommender), every later play is the run's strategy's.
    public static func simulated(user: Int64, length: Double, plays: Int, skips: Int, strategy: String) -> SessionMetrics {
        SessionMetrics(user: user, length: length, plays: plays, skips: skips,
                       recommended: plays > 1 ? [strategy: RecommendedPlays(plays: plays - 1, heard: max(0, length - 1))] : [:])
    }
}
