import Core
import Recommenders

/// The listener's plays from earlier sessions that recommenders see (and that start-up reads):
/// the limit the simulator uses too.
let listenerHistoryLimit = RecommendationContext.historyLimit

/// What `update` asks of a recommender, as a value: the session and history as they stand, the
/// generator to draw from, and how many picks ahead. The runner performs it (timing each `next`)
/// and feeds the picks back as `Action.drawn`; `update` itself never calls a recommender.
public struct DrawRequest: Sendable {
    public enum Purpose: Sendable, Equatable {
        /// The next track, now (the current play ended other than by being heard to the end).
        case play
        /// "Up next": the picks that follow if the current track and each pick is heard to the end.
        case upNext
    }

    public var purpose: Purpose
    public var ticket: Int
    /// An already built recommender (built off the loop by `prepareStrategy`).
    var recommender: any Recommender
    /// Recorded as `recommendedBy` (`random` while the chosen strategy is being built).
    var recordAs: String
    /// The strategy the pick is for (a pending switch applied).
    var forStrategy: String
    /// Set while `forStrategy` is being built and the baseline picks instead.
    var waitingFor: String?
    var user: Int64
    var catalog: Catalog
    /// This session's ended plays.
    var plays: [(track: TrackID, fraction: Float)]
    /// `upNext`: the track now playing, taken as heard to the end before the first pick.
    var current: TrackID?
    /// `upNext`: the listener's queue, which plays (heard to the end) before the first pick.
    var queued: [TrackID] = []
    /// The listener's recent plays, this session's ended ones at the end (as `AppState.recentHistory`).
    var history: [(track: TrackID, fraction: Float)]
    var rng: SeededGenerator
    var count: Int

    /// Draws `count` picks, each as if the one before it were heard to the end, timing each.
    public func perform(stopwatch: any Stopwatch) -> Action {
        var plays = plays
        var history = history
        var rng = rng
        var current = current
        var picks: [DrawnPick] = []
        var ahead = queued
        for _ in 0..<count {
            for c in [current].compactMap({ $0 }) + ahead {
                plays.append((c, 1))
                history.append((c, 1))
                if history.count > listenerHistoryLimit { history.removeFirst(history.count - listenerHistoryLimit) }
            }
            ahead = []
            let context = RecommendationContext(user: user, session: plays, history: Array(history.dropLast(plays.count)),
                                                catalog: catalog)
            // A staged recommender (the ranker) also says where the pick's time went.
            let staged = recommender as? any StagedRecommender
            var clock = StageClock()
            var (rec, micros) = stopwatch.time { staged?.next(context, using: &rng, clock: &clock) ?? recommender.next(context, using: &rng) }
            if let waitingFor { rec.reason = "\(waitingFor) is still being prepared: \(rec.reason) meanwhile" }
            // A remote strategy's fallback names itself (`random-fresh (fallback for …)`).
            picks.append(DrawnPick(recommendation: rec, strategy: rec.recommendedBy ?? recordAs, latencyMicros: micros, rngAfter: rng,
                                   position: max(0, plays.count - 1), forStrategy: forStrategy,
                                   asked: waitingFor == nil ? forStrategy : nil, stages: staged == nil ? nil : clock))
            current = rec.track
        }
        return .drawn(ticket: ticket, picks)
    }
}

extension DrawRequest: Equatable {
    /// Requests compare by what tests can name: purpose, ticket, strategy and size.
    public static func == (a: DrawRequest, b: DrawRequest) -> Bool {
        a.purpose == b.purpose && a.ticket == b.ticket && a.recordAs == b.recordAs && a.forStrategy == b.forStrategy
            && a.count == b.count && a.recommender.name == b.recommender.name
    }
}

/// A recommender's pick with everything `advance` needs to play it as if drawn then.
public struct DrawnPick: Sendable {
    var recommendation: Recommendation
    /// The name recorded as `recommendedBy` (`random` while the chosen strategy is being built).
    var strategy: String
    var latencyMicros: Float
    /// The generator after the draw (it becomes `AppState.rng` when the pick plays).
    var rngAfter: SeededGenerator
    /// Drawn for the play after the one at this position of the session.
    var position: Int
    /// Drawn by this strategy (pending switch applied).
    var forStrategy: String
    /// The strategy whose recommender was asked (nil while it was being built and a stand-in picked).
    var asked: String?
    /// Where the pick's time went, for a staged recommender (the ranker).
    var stages: StageClock? = nil
}
