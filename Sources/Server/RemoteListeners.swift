import Core
import Foundation
import Recommenders

/// One arm `botify serve` can answer with: a strategy and the course treatment name its
/// users are logged under (`C`, `T1`, …).
public struct ServeArm: Sendable {
    public let strategy: String
    public let treatment: String
    public let recommender: any Recommender

    public init(strategy: String, treatment: String, recommender: any Recommender) {
        self.strategy = strategy
        self.treatment = treatment
        self.recommender = recommender
    }

    /// The course's treatment names (`experiment.py`'s `Treatment`): arm 0 is `C`, arm i is `Ti`.
    public static func treatment(ofArm index: Int) -> String { index == 0 ? "C" : "T\(index)" }
}

/// Bounds on what remote clients can make the server hold, so no client grows memory
/// without bound (docs/PROTOCOL.md, "Limits").
public struct ServeLimits: Sendable {
    /// Users whose recent listens are kept; a new user beyond it is answered 503.
    public var users = 200_000
    /// A session this long is written and a new one starts with the next call.
    public var playsPerSession = 1_000
    /// Users without an open session are forgotten after this many idle seconds.
    public var forgetAfter: Double = 3_600

    public init() {}
}

/// What a `/next` or `/last` call did.
public enum ListenResult: Sendable, Equatable {
    /// `/next`: the pick, and how long the strategy took to make it.
    case next(track: TrackID, latencySeconds: Double, treatment: String?)
    /// `/last`: the session is closed.
    case last(treatment: String?)
    /// A limit in `ServeLimits` was reached; nothing was recorded.
    case full(String)
}

/// Everything `botify serve` remembers about its listeners: each user's last 10 listens (the
/// course keeps `LISTEN_HISTORY_LIMIT` 10 in redis and its recommenders read only those) and
/// their open session. Users are spread over shards, each behind its own lock, so calls for
/// different users rarely wait on each other; calls for one user are serialised, as the
/// course's agent makes them (one after the other).
///
/// Sessions: the first `/next` of a user without an open session opens one (its track is the
/// listener's own pick); every later call appends the track the client reports with the
/// fraction heard; `/last` closes it, and so does `closeIdle` after `idleTimeout` seconds
/// without a call. A closed session goes to `onClose` as a finished `SessionLog` (source
/// `remote`), called under a shard lock, so it must only enqueue.
public final class RemoteListeners: @unchecked Sendable {
    public static let recentLimit = 10

    private struct Listener {
        /// The last `recentLimit` listens, oldest first.
        var recent: [(track: TrackID, fraction: Float)] = []
        var session: SessionLog?
        /// The track this server last answered and how long the pick took (µs), so the play
        /// that reports it is credited to the strategy.
        var pending: (track: TrackID, latencyMicros: Float)?
        var lastSeen: Double
        var arm: Int
        var rng: SeededGenerator
    }

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var listeners: [Int64: Listener] = [:]
    }

    public let arms: [ServeArm]
    public let experiment: String?
    public let catalog: Catalog
    public let idleTimeout: Double
    public let limits: ServeLimits
    private let seed: UInt64
    private let assign: @Sendable (Int64) -> Int
    private let onClose: @Sendable (SessionLog) -> Void
    private let shards: [Shard]
    private let countLock = NSLock()
    private var userCount = 0

    /// `assign` maps a user to an arm index (the course's murmur3 assignment in an experiment).
    public init(arms: [ServeArm], experiment: String?, catalog: Catalog, seed: UInt64, idleTimeout: Double,
                limits: ServeLimits = ServeLimits(), assign: @escaping @Sendable (Int64) -> Int,
                onClose: @escaping @Sendable (SessionLog) -> Void) {
        precondition(!arms.isEmpty, "serve needs at least one arm")
        self.arms = arms
        self.experiment = experiment
        self.catalog = catalog
        self.seed = seed
        self.idleTimeout = idleTimeout
        self.limits = limits
        self.assign = assign
        self.onClose = onClose
        shards = (0..<64).map { _ in Shard() }
    }

    private func shard(_ user: Int64) -> Shard {
        shards[Int(UInt64(bitPattern: user) % UInt64(shards.count))]
    }

    /// `/next/<user>`: records the listen and picks the next track with the user's arm.
    public func next(user: Int64, track: TrackID, fraction: Float, now: Double) -> ListenResult {
        listen(user: user, track: track, fraction: fraction, now: now) { listener in
            let arm = arms[listener.arm]
            let plays = listener.session!.plays.count
            // The context is the last 10 listens, as the course's recommenders see them: those of
            // this session are the session, the older ones the history.
            let inSession = min(plays, listener.recent.count)
            let context = RecommendationContext(user: user, session: Array(listener.recent.suffix(inSession)),
                                                history: Array(listener.recent.dropLast(inSession)), catalog: catalog)
            let start = ContinuousClock.now
            let pick = arm.recommender.next(context, using: &listener.rng)
            let elapsed = start.duration(to: .now)
            let seconds = elapsed.seconds
            listener.pending = (pick.track, Float(seconds * 1e6))
            return .next(track: pick.track, latencySeconds: seconds, treatment: experiment == nil ? nil : arm.treatment)
        }
    }

    /// `/last/<user>`: records the final listen and closes the session.
    public func last(user: Int64, track: TrackID, fraction: Float, now: Double) -> ListenResult {
        listen(user: user, track: track, fraction: fraction, now: now) { listener in
            close(&listener)
            return .last(treatment: experiment == nil ? nil : arms[listener.arm].treatment)
        }
    }

    /// Records one listen under the user's shard lock, then lets `then` answer.
    private func listen(user: Int64, track: TrackID, fraction: Float, now: Double,
                        then: (inout Listener) -> ListenResult) -> ListenResult {
        let shard = shard(user)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        if shard.listeners[user] == nil {
            guard let fresh = newListener(user, now: now) else { return .full(tooManyUsers) }
            shard.listeners[user] = fresh
        }
        // Mutated in the dictionary's storage: a copy taken out and written back would share the
        // session's plays with the stored one, so the append would copy the whole session on
        // every call (a malloc and up to `playsPerSession` plays copied per request).
        return Self.mutate(&shard.listeners[user]!) { listener in
            record(&listener, user: user, track: track, fraction: fraction, now: now)
            return then(&listener)
        }
    }

    private static func mutate(_ listener: inout Listener, _ body: (inout Listener) -> ListenResult) -> ListenResult {
        body(&listener)
    }

    /// Closes every session idle for `idleTimeout` seconds and forgets users idle for
    /// `limits.forgetAfter` without one. Returns the number of sessions closed.
    @discardableResult
    public func closeIdle(now: Double) -> Int {
        var closed = 0, forgotten = 0
        for shard in shards {
            shard.lock.lock()
            for (user, var listener) in shard.listeners {
                if listener.session != nil, now - listener.lastSeen >= idleTimeout {
                    close(&listener)
                    shard.listeners[user] = listener
                    closed += 1
                } else if listener.session == nil, now - listener.lastSeen >= limits.forgetAfter {
                    shard.listeners[user] = nil
                    forgotten += 1
                }
            }
            shard.lock.unlock()
        }
        if forgotten > 0 { countLock.withLock { userCount -= forgotten } }
        return closed
    }

    /// Closes every open session (shutdown). Returns the number closed.
    @discardableResult
    public func closeAll() -> Int {
        var closed = 0
        for shard in shards {
            shard.lock.lock()
            for (user, var listener) in shard.listeners where listener.session != nil {
                close(&listener)
                shard.listeners[user] = listener
                closed += 1
            }
            shard.lock.unlock()
        }
        return closed
    }

    /// Open sessions now (for tests and the shutdown line).
    public var openSessions: Int {
        shards.reduce(0) { total, shard in total + shard.lock.withLock { shard.listeners.values.filter { $0.session != nil }.count } }
    }

    private var tooManyUsers: String {
        "this server already remembers \(limits.users) listeners; try again when idle ones are forgotten"
    }

    /// A user's state on first sight; nil when the user limit is reached.
    private func newListener(_ user: Int64, now: Double) -> Listener? {
        let admitted = countLock.withLock {
            guard userCount < limits.users else { return false }
            userCount += 1
            return true
        }
        guard admitted else { return nil }
        return Listener(lastSeen: now, arm: assign(user), rng: SeededGenerator(seed: seed, stream: UInt64(bitPattern: user)))
    }

    private func record(_ listener: inout Listener, user: Int64, track: TrackID, fraction: Float, now: Double) {
        if let open = listener.session, open.plays.count >= limits.playsPerSession { close(&listener) }
        if listener.session == nil {
            listener.session = SessionLog(user: user, strategy: arms[listener.arm].strategy, source: .remote,
                                          experiment: experiment, arm: experiment == nil ? nil : arms[listener.arm].strategy,
                                          seed: seed, startedAt: now, endedAt: now, plays: [])
            listener.pending = nil
        }
        // Credited to the strategy only when the client reports the track this server answered.
        var by: String?, latency: Float = 0
        if let pending = listener.pending, pending.track == track {
            by = arms[listener.arm].strategy
            latency = pending.latencyMicros
        }
        listener.pending = nil
        let position = Int32(listener.session!.plays.count)
        listener.session!.plays.append(Play(position: position, track: track, fraction: fraction,
                                            outcome: fraction >= 1 ? .listened : .skipped,
                                            recommendedBy: by, latencyMicros: latency))
        listener.session!.endedAt = now
        listener.recent.append((track, fraction))
        if listener.recent.count > Self.recentLimit { listener.recent.removeFirst(listener.recent.count - Self.recentLimit) }
        listener.lastSeen = now
    }

    private func close(_ listener: inout Listener) {
        guard let session = listener.session else { return }
        listener.session = nil
        listener.pending = nil
        onClose(session)
    }
}
