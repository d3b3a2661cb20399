import Core
import Recommenders

/// What `update` asks the runner to tell the strategies that picked in a session once it ends:
/// each gets `sessionEnded` with the whole session (its last play is the track heard last), as
/// the simulator does. A remote strategy sends its service the course's `/last`; the others
/// ignore it. The runner performs it before the next action, so quitting still sends it.
public struct SessionEndNotice: Sendable {
    /// The built recommenders that were asked for a pick in the session, by name.
    var recommenders: [(name: String, recommender: any Recommender)]
    var context: RecommendationContext

    public var strategies: [String] { recommenders.map(\.name) }

    public func perform() {
        for (_, r) in recommenders { r.sessionEnded(context) }
    }
}

extension SessionEndNotice: Equatable {
    /// Notices compare by what tests can name: the strategies told, the user and the plays.
    public static func == (a: SessionEndNotice, b: SessionEndNotice) -> Bool {
        a.strategies == b.strategies && a.context.user == b.context.user
            && a.context.session.map(\.track) == b.context.session.map(\.track)
            && a.context.session.map(\.fraction) == b.context.session.map(\.fraction)
    }
}
