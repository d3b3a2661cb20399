import Foundation
import Core
import Recommenders
import Testing
@testable import Simulator

@Suite struct ListenerTests {
    @Test func roundingFollowsNumpyAround() {
        #expect(CourseListenerModel.round2(0.123) == 0.12)
        #expect(CourseListenerModel.round2(0.126) == 0.13)
        #expect(CourseListenerModel.round2(0.999) == 1.0)
        // 0.125 * 100 = 12.5 exactly: half to even gives 12.
        #expect(CourseListenerModel.round2(0.125) == 0.12)
        #expect(CourseListenerModel.round2(0.375) == 0.38)
    }

    @Test func handComputedFractions() {
        // sigmoid((0.9 - 0.4) * 8) = sigmoid(4) = 0.98201...
        #expect(CourseListenerModel.fraction(score: 0.9, bias: 0.4, sharpness: 8, gamma: 0.8, artistPlays: 0) == 0.98)
        // after one earlier play of the artist: 0.98201 * 0.8 = 0.78561 -> 0.79
        #expect(CourseListenerModel.fraction(score: 0.9, bias: 0.4, sharpness: 8, gamma: 0.8, artistPlays: 1) == 0.79)
        // after three: 0.98201 * 0.512 = 0.50279 -> 0.50
        #expect(CourseListenerModel.fraction(score: 0.9, bias: 0.4, sharpness: 8, gamma: 0.8, artistPlays: 3) == 0.50)
        // sigmoid((0.2 - 0.5) * 10) = sigmoid(-3) = 0.04743 -> 0.05
        #expect(CourseListenerModel.fraction(score: 0.2, bias: 0.5, sharpness: 10, gamma: 0.8, artistPlays: 0) == 0.05)
    }

    @Test func listenerAppliesRepeatsAndArtistDiscount() {
        let world = TestWorlds.world()
        var listener = SimulatedListener(world: world, user: 3)
        var rng = SeededGenerator(seed: 11)
        let first = listener.startSession(using: &rng)
        #expect(listener.played == [first])
        #expect(world.nearest(toSlot: listener.interestSlot).prefix(10).contains(first))
        #expect(listener.fraction(of: first) == 0, "a repeat is heard for 0")
        let catalog = world.catalog
        let artist = catalog.artistOfTrack[Int(first)]
        let sameArtist = catalog.trackIDs.filter { catalog.artistOfTrack[Int($0)] == artist && $0 != first }
        let other = sameArtist[0]
        let score = world.space.dot(other, listener.interest)
        let u = world.users
        let expected1 = CourseListenerModel.fraction(score: score, bias: u.consumeBias[3], sharpness: u.consumeSharpness[3],
                                                     gamma: 0.8, artistPlays: 1)
        #expect(listener.fraction(of: other) == expected1)
        _ = listener.listen(to: sameArtist[1], using: &rng)
        _ = listener.listen(to: sameArtist[2], using: &rng)
        let expected3 = CourseListenerModel.fraction(score: score, bias: u.consumeBias[3], sharpness: u.consumeSharpness[3],
                                                     gamma: 0.8, artistPlays: 3)
        #expect(listener.fraction(of: other) == expected3)
        let raw = 1 / (1 + exp(-(Double(score) - u.consumeBias[3]) * u.consumeSharpness[3]))
        #expect(abs(expected3 - raw * 0.512) <= 0.005 + 1e-12)
    }

    @Test func sessionEndsWhenBudgetRunsOut() {
        let world = TestWorlds.constantFraction(0.5, tracks: 200, users: 2)
        var listener = SimulatedListener(world: world, user: 0)
        var rng = SeededGenerator(seed: 3)
        _ = listener.startSession(using: &rng)
        #expect(listener.fraction(of: 150) == 0.5)
        var drops = 0
        var steps = 0
        while !listener.isFinished {
            let before = listener.budget
            let d = listener.listen(to: TrackID(10 + steps), using: &rng)
            #expect(d.fraction == 0.5)
            if listener.budget < before { drops += 1 }
            steps += 1
            #expect(d.sessionEnded == listener.isFinished)
        }
        #expect(drops == 5)
    }
}
