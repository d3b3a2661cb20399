import Core
import Foundation
import Recommenders
import Testing
@testable import Simulator

/// Interest drift (`InterestDrift`, docs/LONG-TERM.md): embeddings follow what was heard fully.
@Suite struct InterestDriftTests {
    static let world = TestWorlds.world(tracks: 400, users: 120)

    /// Runs `days` days of `recommender` for 120 users, drifting at `rate` (nil: no drift state at all).
    func days(_ days: Int, rate: Double?, threads: Int,
              recommender: any Recommender = RandomRecommender()) throws -> [[SimulatedSession]] {
        var state = rate.map { DriftState(world: Self.world, users: 120, drift: InterestDrift(rate: $0)) }
        var out: [[SimulatedSession]] = []
        for day in 1...days {
            var plan = SimulationPlan(users: 120, sessionsPerUser: 2, seed: UInt64(100 + day), threads: threads,
                                      arms: [SimulationArm(name: recommender.name, recommender: recommender)])
            plan.drift = state?.snapshot
            let result = try HeadlessSimulator(world: Self.world, plan: plan).run(blockSessions: 50)
            #expect(result.pulls.count == (rate == nil ? 0 : result.sessions.count))
            state?.apply(result.pulls, threads: threads)
            out.append(result.sessions)
        }
        return out
    }

    @Test("rate 0: every session of every day is exactly the undrifted model's")
    func rateZeroIsTodaysModel() throws {
        let plain = try days(4, rate: nil, threads: 2)
        let still = try days(4, rate: 0, threads: 2)
        #expect(plain == still)
        #expect(plain.joined().count == 4 * 240)
    }

    @Test("drift changes later days, never the first, and is the same whatever the thread count")
    func driftIsDeterministicAndMatters() throws {
        let plain = try days(3, rate: nil, threads: 1)
        let one = try days(3, rate: 0.5, threads: 1)
        let four = try days(3, rate: 0.5, threads: 4)
        #expect(one == four)
        #expect(one[0] == plain[0], "day 1 starts from the world's own embeddings")
        #expect(one[2] != plain[2], "by day 3 drifted tastes hear tracks differently")
    }

    @Test("an embedding moves by the formula, keeps its length, and its start list is the exact nearest")
    func formulaAndNearest() throws {
        let world = Self.world
        var state = DriftState(world: world, users: 120, drift: InterestDrift(rate: 0.25))
        let slot = 7
        let before = Array(state.snapshot.vector(slot: slot))
        let heard: [TrackID] = [3, 50, 211]
        let moved = state.apply([DriftPull(slot: Int32(slot), tracks: heard), DriftPull(slot: 9, tracks: [])], threads: 2)
        #expect(moved == 1, "a session that heard nothing fully moves nothing")
        let after = Array(state.snapshot.vector(slot: slot))
        let d = world.space.dimensions
        var expected = (0..<d).map { k in
            let mean = heard.reduce(0.0) { $0 + Double(world.space.vectors[Int($1) * d + k]) } / 3
            return Double(before[k]) + 0.25 * (mean - Double(before[k]))
        }
        let length = { (v: [Double]) in v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let scale = length(before.map(Double.init)) / length(expected)
        expected = expected.map { $0 * scale }
        for k in 0..<d { #expect(abs(Double(after[k]) - expected[k]) < 1e-5) }
        #expect(state.snapshot.vector(slot: 8) == world.space.vector(world.users.interests[8]), "other slots stay")

        // Brute force: every track's score against the drifted embedding, best first, ties to the lower id.
        let scores = (0..<world.catalog.count).map { t in
            (0..<d).reduce(Float(0)) { $0 + world.space.vectors[t * d + $1] * after[$1] }
        }
        let width = state.snapshot.startWidth
        let best = (0..<world.catalog.count).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        #expect(Array(state.snapshot.start(slot: slot, count: width)) == best.prefix(width).map { TrackID($0) })
        #expect(state.snapshot.start(slot: slot, count: width) != world.nearest(toSlot: slot).prefix(width))
    }

    @Test("recomputing an unmoved embedding's list gives the world's own list")
    func recomputedListsMatchTheWorld() {
        let state = DriftState(world: Self.world, users: 120, drift: InterestDrift(rate: 0.1))
        let slots = Array(0..<state.slots)
        let lists = state.nearest(to: slots, threads: 2)
        let width = state.snapshot.startWidth
        for slot in slots {
            #expect(Array(lists[slot * width..<(slot + 1) * width]) == Array(Self.world.nearest(toSlot: slot).prefix(width)))
        }
    }
}
