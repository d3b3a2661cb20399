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
/// app only knows names. `update` reads only `strategies`; the runner calls `recommender(named:)`
/// and `retrain` on background threads (`retrain` reports progress 0…1).
public protocol StrategyProvider: Sendable {
    var strategies: [StrategyInfo] { get }
    /// Builds `name` anew (its index, its newest stored model): slow, never on the UI thread.
    /// The player keeps what it builds, so a provider need not cache.
    func recommender(named name: String) -> (any Recommender)?
    /// One line: "trained 2026-11-23 09:40 on 1,204 sessions", "not trained", "no model needed".
    func modelStatus(_ name: String) -> String
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String
}

/// Where each play goes as it ends (docs/ARCHITECTURE.md §4: the interactive app writes each play as it ends).
public protocol SessionRecorder: AnyObject {
    func beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double) throws
    /// `reason`: why the play was chosen, stored beside it (History shows it).
    func record(_ play: Play, reason: String?) throws
    func endSession(endedAt: Double) throws
}

/// A simulated listener driving the visible UI (`botify play --bot`).
public protocol BotListener: AnyObject {
    /// Starts a new session and returns the track the listener picks first.
    func beginSession() -> TrackID
    /// How much of `track` the listener will hear (1 = to the end) and whether the session goes on.
    func hear(_ track: TrackID) -> (fraction: Float, continues: Bool)
}

/// One strategy's row on the Stats screen (sessions outside experiments, of one source). Every
/// figure is over users: means are Σ over users / Σ over users, intervals delta-method; NaN
/// where there are too few users to say.
public struct StrategyStats: Equatable, Sendable {
    public var strategy: String
    public var source: ListenerSource
    public var users: Int
    public var sessions: Int
    public var meanLength: Double
    public var ciLow: Double
    public var ciHigh: Double
    public var skipRate: Double
    /// Mean fraction heard of the plays this strategy chose, mixed sessions included.
    public var heardPerRecommendation: Double
    /// Sessions per bucket of `histogramBucket` length units, from 0; the last bucket holds the rest.
    public var histogram: [Int]
    /// Against the snapshot's baseline of the same source (observational: nobody was randomised).
    public var vsBaseline: Uplift?
    public init(strategy: String, source: ListenerSource, users: Int, sessions: Int, meanLength: Double, ciLow: Double,
                ciHigh: Double, skipRate: Double, heardPerRecommendation: Double, histogram: [Int], vsBaseline: Uplift? = nil) {
        self.strategy = strategy
        self.source = source
        self.users = users
        self.sessions = sessions
        self.meanLength = meanLength
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.skipRate = skipRate
        self.heardPerRecommendation = heardPerRecommendation
        self.histogram = histogram
        self.vsBaseline = vsBaseline
    }
}

/// A relative difference of mean session length with its 95% interval (fractions: 0.05 = +5%)
/// and its p-value after Holm's adjustment over the comparisons it was made with.
public struct Uplift: Equatable, Sendable {
    public var relative: Double
    public var low: Double
    public var high: Double
    public var adjustedPValue: Double
    public init(relative: Double, low: Double, high: Double, adjustedPValue: Double) {
        self.relative = relative
        self.low = low
        self.high = high
        self.adjustedPValue = adjustedPValue
    }
}

/// A stored experiment's comparison, recomputed from its sessions: treatment against control.
public struct ABResult: Equatable, Sendable {
    public var experiment: String
    public var treatment: String
    public var control: String
    public var uplift: Uplift
    /// Users per arm are off the promised split (p < 0.001): the comparison is not to be trusted.
    public var sampleRatioMismatch: Bool
    public init(experiment: String, treatment: String, control: String, uplift: Uplift, sampleRatioMismatch: Bool) {
        self.experiment = experiment
        self.treatment = treatment
        self.control = control
        self.uplift = uplift
        self.sampleRatioMismatch = sampleRatioMismatch
    }
}

public struct StatsSnapshot: Equatable, Sendable {
    public var strategies: [StrategyStats]
    public var abResults: [ABResult]
    public var histogramBucket: Double
    /// Sessions that switched strategy mid-way: out of session lengths, in heard-per-recommendation.
    public var mixedSessions: Int
    /// The strategy rows are compared against (Enter on a row picks it).
    public var baseline: String?
    public init(strategies: [StrategyStats], abResults: [ABResult], histogramBucket: Double, mixedSessions: Int = 0,
                baseline: String? = nil) {
        self.strategies = strategies
        self.abResults = abResults
        self.histogramBucket = histogramBucket
        self.mixedSessions = mixedSessions
        self.baseline = baseline
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
    /// Why each play was chosen, by play position, where the player stored it (not headless plays).
    public var reasons: [Int32: String]
    public init(id: Int64, user: Int64, strategy: String, source: ListenerSource, startedAt: Double, plays: [Play],
                reasons: [Int32: String] = [:]) {
        self.id = id
        self.user = user
        self.strategy = strategy
        self.source = source
        self.startedAt = startedAt
        self.plays = plays
        self.reasons = reasons
    }
    public var length: Double { plays.reduce(0) { $0 + Double($1.fraction) } }
}

/// A page of the History screen: sessions newest first, and the number of sessions stored.
public struct HistoryPage: Equatable, Sendable {
    public var sessions: [HistorySession]
    public var total: Int
    public init(sessions: [HistorySession], total: Int) {
        self.sessions = sessions
        self.total = total
    }
}

/// The Stats screen's long-term view: the stored multi-day runs, newest first and without their
/// series, and the one on screen with its series (nil when none is stored).
public struct LongTermSnapshot: Equatable, Sendable {
    public var runs: [LongTermRun]
    public var selected: LongTermRun?
    public init(runs: [LongTermRun], selected: LongTermRun?) {
        self.runs = runs
        self.selected = selected
    }
}

/// Read side of the database for the Stats and History screens.
public protocol PlayerDataSource: Sendable {
    /// The stored long-term runs and the one with id `selected` in full (nil: the newest).
    func longTerm(selected: Int64?) throws -> LongTermSnapshot
    /// Rows of `source` (nil: every source, one row per strategy and source), compared with
    /// `baseline` when it names a strategy.
    func stats(source: ListenerSource?, baseline: String?) throws -> StatsSnapshot
    func history(limit: Int) throws -> [HistorySession]
    /// One page of History, newest first: the `limit` sessions (any source, open ones included)
    /// with ids below `before` (nil: the newest), and how many sessions there are in all.
    func historyPage(before: Int64?, limit: Int) throws -> HistoryPage
    /// The user's latest plays, oldest first, for recommenders that use history.
    func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)]
}

extension PlayerDataSource {
    /// Pages cut from `history(limit:)`, for sources that hold every session anyway (test doubles).
    public func historyPage(before: Int64?, limit: Int) throws -> HistoryPage {
        let all = try history(limit: Int.max)
        let older = before.map { b in all.filter { $0.id < b } } ?? all
        return HistoryPage(sessions: Array(older.prefix(limit)), total: all.count)
    }
}
