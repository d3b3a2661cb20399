import Core
import Foundation
import Recommenders
import Testing
@testable import Simulator

/// Collects committed batches in memory, standing in for the storage writer.
final class MemorySink: SessionSink, @unchecked Sendable {
    var sessions: [SessionLog] = []
    var flushes = 0
    func append(_ log: SessionLog) throws -> Int {
        sessions.append(log)
        return sessions.count - 1
    }
    func flush() throws { flushes += 1 }
}

@Suite struct HeadlessSimulatorTests {
    static let world = TestWorlds.world(tracks: 400, users: 120)

    func run(threads: Int, sink: MemorySink?) throws -> SimulationResult {
        let plan = SimulationPlan(users: 120, sessionsPerUser: 3, seed: 42, threads: threads,
                                  arms: [SimulationArm(name: "random", recommender: RandomRecommender())])
        return try HeadlessSimulator(world: Self.world, plan: plan).run(sink: sink, blockSessions: 100)
    }

    @Test func sameSeedSameSessionsWhateverTheThreadCount() throws {
        let one = MemorySink(), four = MemorySink()
        let a = try run(threads: 1, sink: one)
        let b = try run(threads: 4, sink: four)
        #expect(a.sessions == b.sessions)
        #expect(a.plays == b.plays)
        func content(_ s: [SessionLog]) -> [[String]] {
            s.map { log in ["\(log.user) \(log.interestTrack!)"] + log.plays.map { "\($0.position):\($0.track):\($0.fraction)" } }
        }
        #expect(content(one.sessions) == content(four.sessions))
        #expect(one.sessions.count == 360)
        #expect(one.flushes == 1 && four.flushes == 1)
        let unlogged = try run(threads: 2, sink: nil)
        #expect(unlogged.sessions == a.sessions, "logging does not change what is simulated")
    }

    @Test func courseTrafficDrawsUsersWithReplacementWhateverTheThreadCount() throws {
        func run(threads: Int, seed: UInt64 = 42, sink: MemorySink?) throws -> SimulationResult {
            let plan = SimulationPlan(users: 120, sessionsPerUser: 3, seed: seed, threads: threads,
                                      arms: [SimulationArm(name: "random", recommender: RandomRecommender())], traffic: .course)
            return try HeadlessSimulator(world: Self.world, plan: plan).run(sink: sink, blockSessions: 100)
        }
        let one = MemorySink(), two = MemorySink()
        let a = try run(threads: 1, sink: one)
        let b = try run(threads: 2, sink: two)
        #expect(a.sessions == b.sessions && a.plays == b.plays)
        func content(_ s: [SessionLog]) -> [[String]] {
            s.map { log in ["\(log.user) \(log.interestTrack!)"] + log.plays.map { "\($0.position):\($0.track):\($0.fraction)" } }
        }
        #expect(content(one.sessions) == content(two.sessions))
        #expect(a.sessions.count == 360 && one.sessions.count == 360)
        // With replacement: some users have none, some more than 3, and a user's sessions are numbered 0, 1, 2, …
        let perUser = Dictionary(grouping: a.sessions, by: \.user)
        #expect(perUser.count < 120, "every user drawn: \(perUser.count)")
        #expect(perUser.values.contains { $0.count > 3 } && Set(perUser.values.map(\.count)).count >= 3)
        for sessions in perUser.values { #expect(sessions.map(\.index) == Array(0..<Int32(sessions.count))) }
        // Another seed draws other users; per-user traffic still gives every user 3.
        let other = Dictionary(grouping: try run(threads: 2, seed: 43, sink: nil).sessions, by: \.user).mapValues(\.count)
        #expect(other != perUser.mapValues(\.count))
        let plain = try self.run(threads: 2, sink: nil)
        #expect(Set(Dictionary(grouping: plain.sessions, by: \.user).values.map(\.count)) == [3])
    }

    @Test func courseTrafficIsUniformOverUsers() {
        let plan = SimulationPlan(users: 50, sessionsPerUser: 200, seed: 7, threads: 2,
                                  arms: [SimulationArm(name: "random", recommender: RandomRecommender())], traffic: .course)
        let counts = plan.sessionCounts()
        #expect(counts.reduce(0, +) == 10_000)
        #expect(plan.sessionCounts() == counts)
        // Binomial(10,000, 1/50): mean 200, sd ≈ 14; all 50 within ±4.5 sd.
        #expect(counts.allSatisfy { (137...263).contains($0) }, "\(counts)")
        let mean = Double(counts.reduce(0, +)) / 50
        let variance = counts.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 49
        #expect((98...300).contains(variance), "variance \(variance), binomial 196")
        var perUser = plan
        perUser.traffic = .perUser
        #expect(perUser.sessionCounts() == Array(repeating: 200, count: 50))
    }

    @Test func loggedSessionsAreConsistent() throws {
        let sink = MemorySink()
        let result = try run(threads: 2, sink: sink)
        for (log, summary) in zip(sink.sessions, result.sessions) {
            #expect(log.source == .sim)
            #expect(log.seed == 42)
            #expect(log.plays.first?.fraction == 1)
            #expect(log.plays.first?.recommendedBy == nil)
            #expect(abs(log.length - summary.length) < 1e-6)
            #expect(log.plays.count == Int(summary.plays))
            #expect(log.interestTrack == summary.interest)
            #expect(Self.world.users.interests(of: Int(log.user)).contains(summary.interest))
        }
    }

    /// Recommends tracks in order, never repeating: with the constant-fraction world every
    /// recommendation is heard with the same fraction t.
    struct NextUnplayed: Recommender {
        let name = "next-unplayed"
        let summary = "test strategy"
        func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
            var t = TrackID(context.catalog.count - 1)
            while context.played(t) { t -= 1 }
            return Recommendation(track: t, reason: "test")
        }
    }

    @Test(arguments: [0.5, 0.8])
    func waldIdentity(t: Double) throws {
        let world = TestWorlds.constantFraction(t, users: 40)
        let plan = SimulationPlan(users: 40, sessionsPerUser: 25, seed: 1, threads: 2,
                                  arms: [SimulationArm(name: "test", recommender: NextUnplayed())])
        let result = try HeadlessSimulator(world: world, plan: plan).run()
        let lengths = result.sessions.map(\.length)
        let n = Double(lengths.count)
        let mean = lengths.reduce(0, +) / n
        let sd = (lengths.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        let expected = 1 + 5 * t / (1 - t)
        // 99.9% interval so that the fixed seed is far from the edge.
        #expect(abs(mean - expected) < 3.3 * sd / n.squareRoot(), "mean \(mean) vs \(expected)")
    }
}
