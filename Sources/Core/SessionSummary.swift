/// One logged session's totals, as stats and the History screen see it. A plain value: Storage
/// reads it from the `sessions` table (its column mapping lives with the schema) and
/// Experiments computes reports from it without knowing where it came from.
public struct SessionSummary: Sendable, Equatable, Codable {
    public var id: Int64
    public var user: Int64
    public var strategy: String
    public var source: ListenerSource
    public var experiment: String?
    public var arm: String?
    public var worldID: Int64?
    public var length: Double
    public var plays: Int
    public var skips: Int
    public var startedAt: Double
    /// nil while the session is open (a player is still writing it).
    public var endedAt: Double?
    /// true when crash recovery, not the player, ended it.
    public var recovered: Bool

    public init(id: Int64, user: Int64, strategy: String, source: ListenerSource, experiment: String? = nil,
                arm: String? = nil, worldID: Int64? = nil, length: Double, plays: Int, skips: Int,
                startedAt: Double, endedAt: Double?, recovered: Bool = false) {
        self.id = id
        self.user = user
        self.strategy = strategy
        self.source = source
        self.experiment = experiment
        self.arm = arm
        self.worldID = worldID
        self.length = length
        self.plays = plays
        self.skips = skips
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.recovered = recovered
    }
}
