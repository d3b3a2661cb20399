import Core
import Recommenders
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
    /// The player starts: load the strategy in charge; in bot mode the listener begins.
    case launch(bot: Bool)
    /// A strategy built off the loop (nil: it could not be built) for the load numbered
    /// `generation`; a result for an older load than the latest asked is dropped, so a model
    /// loaded before a retrain never replaces the retrained one.
    case strategyReady(String, (any Recommender)?, generation: Int)
    /// The runner's answer to `Effect.recommend`, timed; dropped when `ticket` is no longer the latest.
    case drawn(ticket: Int, [DrawnPick])
    case retrainProgress(String, Double)
    case retrainFinished(String, status: String)
    case retrainFailed(String, error: String)
    case statsLoaded(StatsSnapshot)
    /// The answer to `Effect.loadLongTerm`.
    case longTermLoaded(LongTermSnapshot)
    /// Every session at once (the whole history: its total is its count).
    case historyLoaded([HistorySession])
    /// A page read by `loadHistory(before:limit:)`: nil `before` refreshes the newest sessions,
    /// otherwise the page goes on from the session with that id.
    case historyPageLoaded(HistoryPage, before: Int64?)
    /// The listener's plays from earlier sessions, read at start-up.
    case historyPreloaded([(track: TrackID, fraction: Float)])
    case failed(String)
    /// A `--script` file is about to run the command on `line` (nil: it has run its last).
    case scriptProgress(line: Int?, of: Int)
}

/// Side effects `update` asks the runner to perform; the results come back as actions.
public enum Effect: Equatable, Sendable {
    case beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double)
    /// A play ended; `reason` is why it was chosen, as Now Playing said ("your pick", the strategy's why).
    case recordPlay(Play, reason: String?)
    case endSession(endedAt: Double)
    /// Tell the strategies that picked in the session that it is over (a remote one: `/last`).
    case tellSessionEnded(SessionEndNotice)
    /// A track started: the bot listener decides how much of it to hear.
    case trackStarted(TrackID)
    /// The listener is free to begin a session (the player started, or the listener left):
    /// the bot, if there is one, starts another.
    case sessionFinished
    /// Ask the recommender (the runner times it and answers with `Action.drawn`).
    case recommend(DrawRequest)
    /// Read the listener's plays from earlier sessions (answered by `historyPreloaded`).
    case loadRecentHistory(user: Int64, limit: Int)
    case retrain(String)
    /// Build a strategy (an index, a model) off the loop, so switching never freezes the screen;
    /// answered by `strategyReady` with the same generation.
    case prepareStrategy(String, generation: Int)
    case loadStats(ListenerSource?, baseline: String?)
    /// Read the stored long-term runs and the one with this id in full (nil: the newest).
    case loadLongTerm(selected: Int64?)
    /// Read the `limit` sessions older than `before` (nil: the newest) for the History screen.
    case loadHistory(before: Int64?, limit: Int)
    case quit
}
