import Core
import Recommenders

/// A recommender that is a service speaking the course's protocol (`botify/server.py`), called
/// as the course's remote agent calls it (`sim/sim/agents/remote.py`): `POST /next/<user>` with
/// `{"track", "time"}` — the track just heard and the fraction heard, the session's first track
/// with time 1.0 on its first call — for every pick, and `POST /last/<user>` with the last track
/// when the session ends.
///
/// When a call gives no usable track (timeout, connection failure, an HTTP error, a body
/// without an integer `track`, a track outside the catalog, a repeat) the pick falls back to
/// `random-fresh` with the same generator, the pick's `recommendedBy` names the fallback and the
/// cause, and the endpoint counts it. The service is never asked twice for one pick.
public struct RemoteRecommender: Recommender {
    /// What the user typed (`http://127.0.0.1:5001`), so lookups by name find it.
    public let name: String
    public let endpoint: RemoteEndpoint
    public var summary: String { "a remote recommender at \(endpoint.base) (the course's /next and /last protocol)" }
    private let fallback = FreshRandomRecommender()

    public init(name: String, endpoint: RemoteEndpoint) {
        self.name = name
        self.endpoint = endpoint
    }

    /// The label fallbacks are recorded under: "random-fresh (fallback for http://…: timeout)".
    /// One name per cause, so the `recommenders` table gains at most six rows per service.
    public func fallbackName(_ failure: RemoteFailure) -> String {
        "\(fallback.name) (fallback for \(name): \(failure.rawValue))"
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let heard = context.session.last else {
            // Not reachable through the simulator or the player (a session starts with the
            // listener's own pick), but a recommender never crashes on a context.
            return fall(back: .badAnswer, detail: "had no track to send", context, &rng)
        }
        let question = Self.question(context)
        if let known = endpoint.answer(to: question) {
            return Recommendation(track: TrackID(known), reason: "remote (\(name)), its answer to this same session before")
        }
        let start = ContinuousClock.now
        switch endpoint.next(user: context.user, track: heard.track, time: heard.fraction) {
        case .failure(let f):
            return fall(back: f.kind, detail: f.detail, context, &rng)
        case .success(let id):
            guard id >= 0, id < Int64(context.catalog.count) else {
                endpoint.rejected(.outsideCatalog)
                return fall(back: .outsideCatalog, detail: "answered track \(id), outside the catalog (0…\(context.catalog.count - 1))",
                            context, &rng)
            }
            let track = TrackID(id)
            if context.played(track) {
                endpoint.rejected(.repeat)
                return fall(back: .repeat, detail: "answered track \(id), already played this session", context, &rng)
            }
            let elapsed = ContinuousClock.now - start
            endpoint.answered(after: elapsed)
            endpoint.remember(id, for: question)
            return Recommendation(track: track, reason: "remote (\(name)) in \(Self.milliseconds(elapsed))")
        }
    }

    /// The course's protocol answers one track per call, so the ranked list is that one track
    /// (offline evaluation's HR@10 of a remote strategy is its hit rate at 1).
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        k > 0 ? [next(context, using: &rng)] : []
    }

    /// The service records each `/next` as a listen (the course's keeps the user's last 10), so
    /// nothing may be asked for plays that have not happened.
    public var answersAhead: Bool { false }

    public func sessionEnded(_ context: RecommendationContext) {
        guard let heard = context.session.last else { return }
        endpoint.last(user: context.user, track: heard.track, time: heard.fraction)
    }

    private func fall(back failure: RemoteFailure, detail: String, _ context: RecommendationContext,
                      _ rng: inout SeededGenerator) -> Recommendation {
        var r = fallback.next(context, using: &rng)
        r.reason = "\(fallback.name): remote (\(name)) \(detail)"
        r.recommendedBy = fallbackName(failure)
        return r
    }

    /// Everything that can make the service answer differently: the user, the plays before this
    /// session and this session so far (two sessions of one user never share both).
    static func question(_ context: RecommendationContext) -> Int {
        var h = Hasher()
        h.combine(context.user)
        h.combine(context.history.count)
        for p in context.history { h.combine(p.track); h.combine(p.fraction) }
        h.combine(context.session.count)
        for p in context.session { h.combine(p.track); h.combine(p.fraction) }
        return h.finalize()
    }

    /// "3.2 ms".
    static func milliseconds(_ d: Duration) -> String {
        let ms = d.seconds * 1e3
        return ms < 10 ? String(format: "%.1f ms", ms) : String(format: "%.0f ms", ms)
    }
}
