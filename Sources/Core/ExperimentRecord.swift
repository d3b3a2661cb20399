/// An A/B experiment's definition and, once run, its result. A plain value (like
/// `ModelRecord`): Storage maps it to the `experiments` table, Experiments reports from it.
public struct ExperimentRecord: Sendable, Equatable {
    public var name: String
    public var arms: [String]
    public var control: String
    public var seed: UInt64
    public var users: Int
    public var sessionsPerUser: Int
    public var worldID: Int64?
    /// Seconds since 1970.
    public var createdAt: Double
    /// The report as JSON text; nil until the run has finished.
    public var result: String?
    /// How sessions were spread over users: "per-user" (each of `users` had `sessionsPerUser`)
    /// or "course" (`users × sessionsPerUser` sessions, each drawing its user with replacement).
    public var traffic: String

    public init(name: String, arms: [String], control: String, seed: UInt64, users: Int, sessionsPerUser: Int,
                worldID: Int64? = nil, createdAt: Double, result: String? = nil, traffic: String = "per-user") {
        self.name = name
        self.arms = arms
        self.control = control
        self.seed = seed
        self.users = users
        self.sessionsPerUser = sessionsPerUser
        self.worldID = worldID
        self.createdAt = createdAt
        self.result = result
        self.traffic = traffic
    }
}
