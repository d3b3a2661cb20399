import Core
import Dispatch
import Foundation
import Recommenders

/// A strategy that may look at the simulated listener itself (only `oracle` does: it is the
/// upper bound that knows hidden tastes). The runner asks once per run, not per play.
public protocol ListenerAwareRecommender: Recommender {
    func next(_ context: RecommendationContext, listener: SimulatedListener,
              using rng: inout SeededGenerator) -> Recommendation
}

/// One arm of a run: a name (the arm label or the strategy name) and its recommender.
public struct SimulationArm: Sendable {
    public var name: String
    public var recommender: any Recommender

    public init(name: String, recommender: any Recommender) {
        self.name = name
        self.recommender = recommender
    }
}

/// How sessions are spread over the users of a run.
public enum Traffic: String, Sendable, CaseIterable, Codable {
    /// botify's default: every user of the run has exactly `sessionsPerUser` sessions.
    case perUser = "per-user"
    /// The course simulator's (`RecEnv.reset` → `UserCatalog.sample_user`): every session draws
    /// its user uniformly with replacement from the population, so a user may have none, one or
    /// many sessions. The run has `users × sessionsPerUser` sessions in all.
    case course
}

/// What to simulate: which users, how many sessions each, which seed, which arms.
public struct SimulationPlan: Sendable {
    /// Users are the world's rows 0..<users.
    public var users: Int
    /// Sessions per user (`perUser` traffic), or the mean over the population (`course` traffic).
    public var sessionsPerUser: Int
    public var seed: UInt64
    public var threads: Int
    public var experiment: String?
    public var arms: [SimulationArm]
    /// External user id → arm index (always 0 for a single strategy).
    public var assignment: @Sendable (Int64) -> Int
    public var traffic: Traffic
    /// Sessions of each user row when the caller decides who comes (a day of returning
    /// listeners: 0 for those who stay away); nil spreads them by `traffic`.
    public var counts: [Int32]?
    /// Count, per arm, what was recommended and heard (for catalog health over days).
    public var measuresExposure = false
    /// The day's drifted session embeddings (`InterestDrift`); the run then reports each
    /// session's fully heard tracks in `SimulationResult.pulls`.
    public var drift: DriftedInterests?

    public init(users: Int, sessionsPerUser: Int, seed: UInt64, threads: Int, experiment: String? = nil,
                arms: [SimulationArm], assignment: @escaping @Sendable (Int64) -> Int = { _ in 0 },
                traffic: Traffic = .perUser) {
        self.users = users
        self.sessionsPerUser = sessionsPerUser
        self.seed = seed
        self.threads = threads
        self.experiment = experiment
        self.arms = arms
        self.assignment = assignment
        self.traffic = traffic
    }

    /// Sessions of each user row 0..<users. Course traffic draws the user of every session in
    /// turn from one generator of the seed (its own stream, apart from the sessions' streams),
    /// on one thread, so the counts do not depend on `threads`.
    public func sessionCounts() -> [Int32] {
        if let counts {
            precondition(counts.count == users, "one session count per user row")
            return counts
        }
        switch traffic {
        case .perUser:
            return Array(repeating: Int32(sessionsPerUser), count: users)
        case .course:
            var counts = Array(repeating: Int32(0), count: users)
            guard users > 0 else { return counts }
            var rng = SeededGenerator(seed: seed, stream: Self.trafficStream.0, Self.trafficStream.1)
            for _ in 0..<(users * sessionsPerUser) { counts[rng.nextIndex(users)] += 1 }
            return counts
        }
    }

    /// No user row is UInt64.max, so this never meets a (user, session) stream.
    static let trafficStream: (UInt64, UInt64) = (.max, 0x74_7261_6666_6963)  // "traffic"
}

/// The compact result of one simulated session, kept for every session of a run.
public struct SimulatedSession: Sendable, Equatable {
    public var user: Int64
    public var index: Int32
    public var arm: Int32
    public var interest: TrackID
    public var plays: Int32
    public var skips: Int32
    public var length: Double
}

public struct SimulationProgress: Sendable {
    public var sessionsDone: Int
    public var sessionsTotal: Int
    public var plays: Int
    public var seconds: Double
}

public struct SimulationResult: Sendable {
    /// Every session, in (user, session) order.
    public var sessions: [SimulatedSession]
    public var plays: Int
    public var seconds: Double
    /// Per arm, when the plan `measuresExposure`; empty otherwise.
    public var exposure: [ArmExposure] = []
    /// With a plan's `drift`: each session's fully heard tracks, in (user, session) order.
    public var pulls: [DriftPull] = []

    public init(sessions: [SimulatedSession], plays: Int, seconds: Double, exposure: [ArmExposure] = [],
                pulls: [DriftPull] = []) {
        self.sessions = sessions
        self.plays = plays
        self.seconds = seconds
        self.exposure = exposure
        self.pulls = pulls
    }
    public var playsPerSecond: Double { seconds > 0 ? Double(plays) / seconds : 0 }
}

/// The headless session loop. Each (user, session) draws from its own generator
/// `SeededGenerator(seed:, stream: user, session)`, users are split into contiguous slices
/// across threads and results are merged in (user, session) order, so the output is the same
/// whatever the thread count. Logged runs are simulated block by block while the previous
/// block is being written. Under course traffic the number of sessions of each user is drawn
/// first (`SimulationPlan.sessionCounts`) and the same loop runs them: sessions of different
/// users never interact, and a user's own sessions keep their order, so this equals running the
/// draws one after the other.
public final class HeadlessSimulator: Sendable {
    public let world: World
    public let plan: SimulationPlan
    public init(world: World, plan: SimulationPlan) {
        precondition(plan.users >= 0 && plan.users <= world.users.count, "plan has more users than the world")
        precondition(!plan.arms.isEmpty, "a run needs at least one arm")
        self.world = world
        self.plan = plan
    }

    /// Simulates every session; with a sink, logs them too. `progress` is called on this
    /// thread after each block of about `blockSessions` sessions.
    public func run(sink: (any SessionSink)? = nil, blockSessions: Int = 20_000,
                    progress: ((SimulationProgress) -> Void)? = nil) throws -> SimulationResult {
        let counts = plan.sessionCounts()
        // The sum of the counts (never users × sessionsPerUser, which may overflow).
        let total = counts.reduce(0) { $0 + Int($1) }
        let startedAt = Date().timeIntervalSince1970
        let clock = ContinuousClock.now
        // Grows with the sessions simulated, not with the sessions asked for.
        var sessions: [SimulatedSession] = []
        var pulls: [DriftPull] = []
        var plays = 0
        var exposure = plan.measuresExposure
            ? [ArmExposure](repeating: ArmExposure(tracks: world.catalog.count), count: plan.arms.count) : []
        var start = 0
        while start < plan.users {
            // Whole users, about `blockSessions` sessions (at least one user).
            var end = start, inBlock = 0
            while end < plan.users && (end == start || inBlock + Int(counts[end]) <= blockSessions) {
                inBlock += Int(counts[end])
                end += 1
            }
            let block = simulateBlock(users: start..<end, counts: counts, record: sink != nil, startedAt: startedAt)
            for slice in block {
                sessions += slice.sessions
                pulls += slice.pulls
                plays += slice.plays
                for (arm, part) in slice.exposure.enumerated() { exposure[arm].add(part) }
                if let sink { for log in slice.logs { try sink.append(log) } }
            }
            progress?(SimulationProgress(sessionsDone: sessions.count, sessionsTotal: total, plays: plays,
                                         seconds: clock.duration(to: .now).seconds))
            start = end
        }
        try sink?.flush()
        return SimulationResult(sessions: sessions, plays: plays, seconds: clock.duration(to: .now).seconds,
                                exposure: exposure, pulls: pulls)
    }

    struct SliceOutput {
        var sessions: [SimulatedSession] = []
        var logs: [SessionLog] = []
        var pulls: [DriftPull] = []
        var plays = 0
        var exposure: [ArmExposure] = []
    }

    private func simulateBlock(users: Range<Int>, counts: [Int32], record: Bool, startedAt: Double) -> [SliceOutput] {
        let slices = max(1, min(plan.threads, users.count))
        var outputs = [SliceOutput](repeating: SliceOutput(), count: slices)
        outputs.withUnsafeMutableBufferPointer { buffer in
            let out = DisjointWrites(buffer.baseAddress!)
            parallelChunks(slices) { s in
                let lo = users.lowerBound + users.count * s / slices
                let hi = users.lowerBound + users.count * (s + 1) / slices
                out[s] = self.simulate(users: lo..<hi, counts: counts, record: record, startedAt: startedAt)
            }
        }
        return outputs
    }

    private func simulate(users: Range<Int>, counts: [Int32], record: Bool, startedAt: Double) -> SliceOutput {
        var output = SliceOutput()
        guard !users.isEmpty else { return output }
        var listener = SimulatedListener(world: world, user: users.lowerBound, drift: plan.drift)
        let drifts = plan.drift != nil
        var heardFully: [TrackID] = []
        var context = RecommendationContext(user: 0, session: [], catalog: world.catalog)
        context.explains = false  // no reason of a headless play is stored
        context.session.reserveCapacity(256)
        let aware = plan.arms.map { $0.recommender as? any ListenerAwareRecommender }
        let measures = plan.measuresExposure
        if measures {
            output.exposure = [ArmExposure](repeating: ArmExposure(tracks: world.catalog.count), count: plan.arms.count)
        }
        var genres = GenreMarks(count: world.catalog.genreNames.count)
        for u in users {
            if measures { genres.clear() }
            listener.switchUser(u)
            let userID = world.users.ids[u]
            let arm = plan.assignment(userID)
            let recommender = plan.arms[arm].recommender
            let smart = aware[arm]
            context.user = userID
            context.history.removeAll(keepingCapacity: true)
            for index in 0..<Int(counts[u]) {
                var rng = SeededGenerator(seed: plan.seed, stream: UInt64(u), UInt64(index))
                var log: [Play] = []
                let first = listener.startSession(using: &rng)
                context.session.removeAll(keepingCapacity: true)
                context.session.append((first, 1))
                var length = 1.0
                var skips: Int32 = 0
                if drifts {
                    heardFully.removeAll(keepingCapacity: true)
                    heardFully.append(first)
                }
                if record {
                    log.reserveCapacity(16)
                    log.append(Play(position: 0, track: first, fraction: 1, outcome: .listened, recommendedBy: nil))
                }
                while !listener.isFinished {
                    let t0 = record ? DispatchTime.now().uptimeNanoseconds : 0
                    let recommendation: Recommendation
                    if let smart {
                        recommendation = smart.next(context, listener: listener, using: &rng)
                    } else {
                        recommendation = recommender.next(context, using: &rng)
                    }
                    let pick = recommendation.track
                    let t1 = record ? DispatchTime.now().uptimeNanoseconds : 0
                    let decision = listener.listen(to: pick, using: &rng)
                    length += Double(decision.fraction)
                    if decision.fraction < 1 { skips += 1 } else if drifts { heardFully.append(pick) }
                    context.session.append((pick, decision.fraction))
                    if measures {
                        output.exposure[arm].note(pick, fraction: decision.fraction)
                        if decision.fraction >= ArmExposure.heardThreshold { genres.mark(pick, in: world.catalog) }
                    }
                    if record {
                        log.append(Play(position: Int32(log.count), track: pick, fraction: decision.fraction,
                                        outcome: decision.fraction < 1 ? .skipped : .listened,
                                        recommendedBy: recommendation.recommendedBy ?? recommender.name, latencyMicros: Float(t1 &- t0) / 1000))
                    }
                }
                recommender.sessionEnded(context)
                if drifts { output.pulls.append(DriftPull(slot: Int32(listener.interestSlot), tracks: heardFully)) }
                let count = Int32(context.session.count)
                output.plays += Int(count)
                output.sessions.append(SimulatedSession(user: userID, index: Int32(index), arm: Int32(arm),
                                                        interest: listener.interest, plays: count, skips: skips,
                                                        length: length))
                if record {
                    let listened = log.reduce(0.0) { $0 + Double($1.fraction) * Double(world.catalog.durations[Int($1.track)]) }
                    output.logs.append(SessionLog(user: userID, strategy: recommender.name, source: .sim,
                                                  experiment: plan.experiment,
                                                  arm: plan.experiment == nil ? nil : plan.arms[arm].name,
                                                  seed: plan.seed, interestTrack: listener.interest,
                                                  startedAt: startedAt, endedAt: startedAt + listened, plays: log))
                }
                context.remember(context.session)
            }
            if measures && counts[u] > 0 {
                output.exposure[arm].users += 1
                output.exposure[arm].genresHeard += genres.marked
            }
        }
        return output
    }
}
