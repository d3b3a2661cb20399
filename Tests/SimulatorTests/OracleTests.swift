import Core
import Recommenders
import Testing
@testable import Simulator

@Suite struct OracleTests {
    @Test func picksTheBestExpectedListenExactly() {
        let world = TestWorlds.world(tracks: 400, users: 30)
        let oracle = OracleRecommender(world: world)
        for user in 0..<10 {
            var listener = SimulatedListener(world: world, user: user)
            var rng = SeededGenerator(seed: UInt64(user))
            _ = listener.startSession(using: &rng)
            for _ in 0..<6 {
                let pick = oracle.best(for: listener)!
                let bruteBest = world.catalog.trackIDs.map { listener.fraction(of: $0) }.max()!
                #expect(listener.fraction(of: pick) == bruteBest)
                #expect(!listener.played.contains(pick))
                _ = listener.listen(to: pick, using: &rng)
            }
        }
    }

    @Test func oracleBeatsRandom() throws {
        let world = TestWorlds.world(tracks: 400, users: 12)
        func mean(_ r: any Recommender) throws -> Double {
            let plan = SimulationPlan(users: 12, sessionsPerUser: 1, seed: 5, threads: 2, arms: [SimulationArm(name: r.name, recommender: r)])
            let s = try HeadlessSimulator(world: world, plan: plan).run().sessions
            return s.map(\.length).reduce(0, +) / Double(s.count)
        }
        let oracle = try mean(OracleRecommender(world: world)), random = try mean(RandomRecommender())
        #expect(oracle > 2 * random, "oracle \(oracle) vs random \(random)")
    }

    @Test func registryOffersOracleAlongsideStandardStrategies() throws {
        let world = TestWorlds.world(tracks: 200, users: 5)
        let registry = SimulatorStrategies.registry(world: world)
        #expect(registry.names.contains("oracle") && registry.names.contains("random"))
        #expect(try registry.strategy(named: "oracle").isUpperBound)
        let made = try SimulatorStrategies.make(["random", "oracle"], world: world, database: nil)
        #expect(made.map(\.name) == ["random", "oracle"])
        #expect(throws: InputError.self) { try SimulatorStrategies.make(["nope"], world: world, database: nil) }
    }

    @Test func plainNextRebuildsTheListenerForTheVisiblePlayer() {
        let world = TestWorlds.world(tracks: 300, users: 10)
        var listener = SimulatedListener(world: world, user: 4)
        var rng = SeededGenerator(seed: 9)
        let first = listener.startSession(using: &rng)
        let context = RecommendationContext(user: 4, session: [(first, 1)], catalog: world.catalog)
        let oracle = OracleRecommender(world: world)
        let r = oracle.next(context, using: &rng)
        #expect(r.reason == OracleRecommender.label)
        #expect(!listener.played.contains(r.track))
        let stranger = RecommendationContext(user: 999, session: [(first, 1)], catalog: world.catalog)
        #expect(oracle.next(stranger, using: &rng).reason.contains("fell back"))
    }
}

@Suite struct OracleScoreOrderTests {
    /// The brute-force reference, ties included: the first best of the interest's nearest
    /// tracks, unless some track is strictly better — then the lowest such track id.
    static func bruteForce(_ world: World, _ listener: SimulatedListener) -> TrackID {
        var near: TrackID = -1, nearValue = -1.0
        for t in world.nearest(toSlot: listener.interestSlot) where t >= 0 {
            let f = listener.fraction(of: t)
            if f > nearValue { near = t; nearValue = f }
        }
        var best: TrackID = -1, bestValue = -1.0
        for t in world.catalog.trackIDs {
            let f = listener.fraction(of: t)
            if f > bestValue { best = t; bestValue = f }
        }
        return bestValue > nearValue ? best : near
    }

    @Test func walkingTheScoreOrderPicksExactlyTheBruteForceTrack() {
        let world = TestWorlds.world(tracks: 500, users: 20)
        let oracle = OracleRecommender(world: world)
        for user in 0..<20 {
            var listener = SimulatedListener(world: world, user: user)
            var rng = SeededGenerator(seed: UInt64(100 + user))
            _ = listener.startSession(using: &rng)
            // Long enough that artist discounts and played tracks push the best down the order.
            for _ in 0..<40 {
                let pick = oracle.best(for: listener)
                #expect(pick == Self.bruteForce(world, listener))
                guard let pick else { break }
                _ = listener.listen(to: pick, using: &rng)
            }
        }
    }
}
