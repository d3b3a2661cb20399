import Core
import Terminal

/// Everything that can happen to the app. Keys, clock ticks, the bot's decisions and the
/// results of background work all become actions, handled one at a time by `update`.
public enum Action: Sendable {
    case key(Key)
    case command(Command)
    case tick(now: Double)
    case resize(TerminalSize)
    /// Bot mode: the listener picked the first track of a new session.
    case listenerStarts(TrackID)
    /// Bot mode: how much of the current track the listener will hear, and whether it goes on.
    case listenerDecides(fraction: Float, continues: Bool)
    case strategyReady(String)
    case retrainProgress(String, Double)
    case retrainFinished(String, status: String)
    case retrainFailed(String, error: String)
    case statsLoaded(StatsSnapshot)
    /// Every session at once (the whole history: its total is its count).
    case historyLoaded([HistorySession])
    /// A page read by `loadHistory(before:limit:)`: nil `before` refreshes the newest sessions,
    /// otherwise the page goes on from the session with that id.
    case historyPageLoaded(HistoryPage, before: Int64?)
    /// The listener's plays from earlier sessions, read at start-up.
    case historyPreloaded([(track: TrackID, fraction: Float)])
    case failed(String)
}

/// Side effects `update` asks the runner to perform; the results come back as actions.
public enum Effect: Equatable, Sendable {
    case beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double)
    case recordPlay(Play)
    case endSession(endedAt: Double)
    /// A track started: the bot listener decides how much of it to hear.
    case trackStarted(TrackID)
    /// The session ended with the listener leaving: the bot may start another.
    case sessionFinished
    case retrain(String)
    /// Build a strategy (an index, a model) off the loop, so switching never freezes the screen.
    case prepareStrategy(String)
    case loadStats(ListenerSource?, baseline: String?)
    /// Read the `limit` sessions older than `before` (nil: the newest) for the History screen.
    case loadHistory(before: Int64?, limit: Int)
    case quit
}
