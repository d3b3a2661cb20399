/// A finished multi-day run (`simulate --days D` or `ab --days D`, D ≥ 2) as it is stored: what
/// ran (command, arms, horizon, seed and the day options) and its report's series per day and
/// arm, with the long-term metric per arm. A plain value like `ExperimentRecord`: Storage maps
/// it to the `long_term_*` tables, Experiments builds it from its report, the player draws it.
/// Figures that could not be computed (too few users, no exposure) are NaN.
public struct LongTermRun: Sendable, Equatable {
    /// The row id; nil before it is stored.
    public var id: Int64?
    /// "simulate" or "ab".
    public var command: String
    /// The experiment's name (`ab`); nil for `simulate`.
    public var experiment: String?
    /// The report's title ("experiment LONG-TERM, long term").
    public var title: String
    /// Arm names in the run's order (for `simulate`, the one strategy).
    public var arms: [String]
    public var control: String?
    public var days: Int
    public var users: Int
    public var sessionsPerUser: Int
    /// "per-user" or "course" (as `ExperimentRecord.traffic`).
    public var traffic: String
    public var seed: UInt64
    public var worldID: Int64?
    public var sessionIDs: ClosedRange<Int64>?
    public var options: LongTermOptions
    /// How users came back, as the report says it ("every user every day", the return model's parameters, drift).
    public var listeners: String
    /// The report's method line.
    public var method: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// Every day of every arm, day by day in arm order. Empty in `LongTermStore.all()`'s list.
    public var daily: [LongTermDay]
    /// One per arm, in arm order. Empty in `LongTermStore.all()`'s list.
    public var totals: [LongTermArmTotal]

    public init(id: Int64? = nil, command: String, experiment: String?, title: String, arms: [String], control: String?,
                days: Int, users: Int, sessionsPerUser: Int, traffic: String, seed: UInt64, worldID: Int64?,
                sessionIDs: ClosedRange<Int64>?, options: LongTermOptions, listeners: String, method: String,
                createdAt: Double, daily: [LongTermDay], totals: [LongTermArmTotal]) {
        self.id = id
        self.command = command
        self.experiment = experiment
        self.title = title
        self.arms = arms
        self.control = control
        self.days = days
        self.users = users
        self.sessionsPerUser = sessionsPerUser
        self.traffic = traffic
        self.seed = seed
        self.worldID = worldID
        self.sessionIDs = sessionIDs
        self.options = options
        self.listeners = listeners
        self.method = method
        self.createdAt = createdAt
        self.daily = daily
        self.totals = totals
    }

    /// The days of `arm`, in day order.
    public func series(of arm: String) -> [LongTermDay] { daily.filter { $0.arm == arm }.sorted { $0.day < $1.day } }
}

/// The day flags of a multi-day run, as far as they change what it did.
public struct LongTermOptions: Sendable, Equatable {
    /// `--retrain-every N` (1 with plain `--retrain`); nil without retraining.
    public var retrainEvery: Int?
    public var incremental: Bool
    public var warmIterations: Int?
    /// `--returning`'s parameters (λ₀, β, φ, q₀); nil: every user every day.
    public var returnRate: Double?
    public var returnSensitivity: Double?
    public var fatigue: Double?
    public var churn: Double?
    public var drift: Double?

    public init(retrainEvery: Int? = nil, incremental: Bool = false, warmIterations: Int? = nil, returnRate: Double? = nil,
                returnSensitivity: Double? = nil, fatigue: Double? = nil, churn: Double? = nil, drift: Double? = nil) {
        self.retrainEvery = retrainEvery
        self.incremental = incremental
        self.warmIterations = warmIterations
        self.returnRate = returnRate
        self.returnSensitivity = returnSensitivity
        self.fatigue = fatigue
        self.churn = churn
        self.drift = drift
    }
}

/// One arm on one day (the report's per-day row).
public struct LongTermDay: Sendable, Equatable {
    public var day: Int
    public var arm: String
    public var activeUsers: Int
    public var sessions: Int
    /// Mean session length over the day's users and its 95% interval (delta method, user level).
    public var meanLength: Double
    public var meanLengthLow: Double
    public var meanLengthHigh: Double
    /// Share of the arm's assigned users who came that day.
    public var retention: Double
    /// Σ session length from day 1 to this day / the arm's assigned users.
    public var listeningPerAssignedUser: Double
    /// Shares of the catalog recommended at least once that day, and heard at least half.
    public var coverageRecommended: Double
    public var coverageHeard: Double
    public var topOnePercentShare: Double
    public var gini: Double
    public var novelty: Double
    public var genresPerUser: Double

    public init(day: Int, arm: String, activeUsers: Int, sessions: Int, meanLength: Double, meanLengthLow: Double,
                meanLengthHigh: Double, retention: Double, listeningPerAssignedUser: Double, coverageRecommended: Double,
                coverageHeard: Double, topOnePercentShare: Double, gini: Double, novelty: Double, genresPerUser: Double) {
        self.day = day
        self.arm = arm
        self.activeUsers = activeUsers
        self.sessions = sessions
        self.meanLength = meanLength
        self.meanLengthLow = meanLengthLow
        self.meanLengthHigh = meanLengthHigh
        self.retention = retention
        self.listeningPerAssignedUser = listeningPerAssignedUser
        self.coverageRecommended = coverageRecommended
        self.coverageHeard = coverageHeard
        self.topOnePercentShare = topOnePercentShare
        self.gini = gini
        self.novelty = novelty
        self.genresPerUser = genresPerUser
    }
}

/// One arm over the horizon: the long-term metric (total listening per assigned user, a mean
/// over users with a t interval) and, for a treatment arm, its comparison with the control.
public struct LongTermArmTotal: Sendable, Equatable {
    public var arm: String
    public var assignedUsers: Int
    public var listening: Double
    public var listeningLow: Double
    public var listeningHigh: Double
    /// Share of assigned users still coming on the last day.
    public var retainedLastDay: Double
    public var churned: Int
    /// Against the control (nil for the control and for `simulate`).
    public var versusControl: LongTermUplift?

    public init(arm: String, assignedUsers: Int, listening: Double, listeningLow: Double, listeningHigh: Double,
                retainedLastDay: Double, churned: Int, versusControl: LongTermUplift? = nil) {
        self.arm = arm
        self.assignedUsers = assignedUsers
        self.listening = listening
        self.listeningLow = listeningLow
        self.listeningHigh = listeningHigh
        self.retainedLastDay = retainedLastDay
        self.churned = churned
        self.versusControl = versusControl
    }
}

/// A treatment's long-term metric against the control: the difference and the relative one
/// (fractions: 0.05 = +5%) with 95% intervals, Welch's p and Holm's adjusted p.
public struct LongTermUplift: Sendable, Equatable {
    public var difference: Double
    public var differenceLow: Double
    public var differenceHigh: Double
    public var relative: Double
    public var relativeLow: Double
    public var relativeHigh: Double
    public var pValue: Double
    public var adjustedPValue: Double
    public var significant: Bool

    public init(difference: Double, differenceLow: Double, differenceHigh: Double, relative: Double, relativeLow: Double,
                relativeHigh: Double, pValue: Double, adjustedPValue: Double, significant: Bool) {
        self.difference = difference
        self.differenceLow = differenceLow
        self.differenceHigh = differenceHigh
        self.relative = relative
        self.relativeLow = relativeLow
        self.relativeHigh = relativeHigh
        self.pValue = pValue
        self.adjustedPValue = adjustedPValue
        self.significant = significant
    }
}
