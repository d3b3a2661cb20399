import Core
import Recommenders

/// One strategy as the Strategies screen lists it.
public struct StrategyInfo: Equatable, Sendable {
    public var name: String
    public var summary: String
    public var trainable: Bool
    public init(name: String, summary: String, trainable: Bool) {
        self.name = name
        self.summary = summary
        self.trainable = trainable
    }
}

/// Where the player gets its recommenders: the registry of every strategy once wired, so the
/// app only knows names. `retrain` runs on a background thread and reports progress 0…1.
public protocol StrategyProvider: Sendable {
    var strategies: [StrategyInfo] { get }
    func recommender(named name: String) -> (any Recommender)?
    /// One line: "trained 2026-11-23 09:40 on 1,204 sessions", "not trained", "no model needed".
    func modelStatus(_ name: String) -> String
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String
}

/// Where each play goes as it ends (docs/ARCHITECTURE.md §4: the interactive app writes each play as it ends).
public protocol SessionRecorder: AnyObject {
    func beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double) throws
    func record(_ play: Play) throws
    func endSession(endedAt: Double) throws
}

/// A simulated listener driving the visible UI (`botify play --bot`).
public protocol BotListener: AnyObject {
    /// Starts a new session and returns the track the listener picks first.
    func beginSession() -> TrackID
    /// How much of `track` the listener will hear (1 = to the end) and whether the session goes on.
    func hear(_ track: TrackID) -> (fraction: Float, continues: Bool)
}

/// One strategy's row on the Stats screen.
public struct StrategyStats: Equatable, Sendable {
    public var strategy: String
    public var sessions: Int
    public var meanLength: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var skipRate: Double
    /// Sessions per bucket of `histogramBucket` length units, from 0.
    public var histogram: [Int]
    public init(strategy: String, sessions: Int, meanLength: Double, ciLow: Double, ciHigh: Double,
                skipRate: Double, histogram: [Int]) {
        self.strategy = strategy
        self.sessions = sessions
        self.meanLength = meanLength
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.skipRate = skipRate
        self.histogram = histogram
    }
}

/// A stored A/B comparison: treatment against control.
public struct ABResult: Equatable, Sendable {
    public var experiment: String
    public var treatment: String
    public var control: String
    public var relativeUplift: Double
    public var upliftLow: Double
    public var upliftHigh: Double
    public var pValue: Double
    public init(experiment: String, treatment: String, control: String, relativeUplift: Double,
                upliftLow: Double, upliftHigh: Double, pValue: Double) {
        self.experiment = experiment
        self.treatment = treatment
        self.control = control
        self.relativeUplift = relativeUplift
        self.upliftLow = upliftLow
        self.upliftHigh = upliftHigh
        self.pValue = pValue
    }
}

public struct StatsSnapshot: Equatable, Sendable {
    public var strategies: [StrategyStats]
    public var abResults: [ABResult]
    public var histogramBucket: Double
    public init(strategies: [StrategyStats], abResults: [ABResult], histogramBucket: Double) {
        self.strategies = strategies
        self.abResults = abResults
        self.histogramBucket = histogramBucket
    }
}

/// A past session for the History screen.
public struct HistorySession: Equatable, Sendable {
    public var id: Int64
    public var user: Int64
    public var strategy: String
    public var source: ListenerSource
    public var startedAt: Double
    public var plays: [Play]
    public init(id: Int64, user: Int64, strategy: String, source: ListenerSource, startedAt: Double, plays: [Play]) {
        self.id = id
        self.user = user
        self.strategy = strategy
        self.source = source
        self.startedAt = startedAt
        self.plays = plays
    }
    public var length: Double { plays.reduce(0) { $0 + Double($1.fraction) } }
}

/// Read side of the database for the Stats and History screens.
public protocol PlayerDataSource: Sendable {
    func stats(source: ListenerSource?) throws -> StatsSnapshot
    func history(limit: Int) throws -> [HistorySession]
    /// The user's latest plays, oldest first, for recommenders that use history.
    func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)]
}
