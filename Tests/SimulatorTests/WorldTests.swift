import Core
import Testing
@testable import Simulator

@Suite struct WorldTests {
    @Test func hiddenVectorsAreUnitAndSeeded() {
        let a = TestWorlds.world(seed: 5), b = TestWorlds.world(seed: 5), c = TestWorlds.world(seed: 6)
        #expect(a.space == b.space)
        #expect(a.users == b.users)
        #expect(a.space != c.space)
        for t in a.catalog.trackIDs.prefix(50) {
            #expect(abs(a.space.dot(t, t) - 1) < 1e-4)
        }
    }

    @Test func addingTracksKeepsOtherVectorsWhenFeaturesAreAbsent() {
        // Without features nothing depends on the whole catalog (standardisation does), so
        // appending tracks must leave earlier vectors bit-identical.
        let small = TasteSpace.generate(catalog: TestWorlds.catalog(count: 100, features: false), config: WorldConfig(seed: 9))
        let large = TasteSpace.generate(catalog: TestWorlds.catalog(count: 150, features: false), config: WorldConfig(seed: 9))
        #expect(Array(large.vectors.prefix(small.vectors.count)) == small.vectors)
    }

    @Test func populationFollowsTheCourseDefaults() {
        let world = TestWorlds.world(users: 300)
        let u = world.users
        for user in 0..<u.count {
            let n = u.interests(of: user).count
            #expect((1...6).contains(n))
            #expect((0.1...0.6).contains(u.consumeBias[user]))
            #expect((4.0...15.0).contains(u.consumeSharpness[user]))
            #expect(u.sessionBudget[user] == 5)
            #expect(u.artistDiscountGamma[user] == 0.8)
        }
        let mean = Double(u.interests.count) / Double(u.count)
        #expect(abs(mean - 3.5) < 0.25, "1 + Binomial(5, 0.5) has mean 3.5")
        let bigger = TestWorlds.world(users: 350)
        #expect(bigger.users.prefix(300) == u, "user u does not depend on the population size")
    }

    @Test func nearestListsAreExact() {
        let world = TestWorlds.world(tracks: 300, users: 20)
        for slot in 0..<10 {
            let interest = world.users.interests[slot]
            let brute = world.catalog.trackIDs.sorted {
                let a = world.space.dot($0, interest), b = world.space.dot($1, interest)
                return a != b ? a > b : $0 < $1
            }
            let got = Array(world.nearest(toSlot: slot).prefix(10))
            // Scores can differ in the last bit between the two summation orders; compare scores.
            for (g, e) in zip(got, brute.prefix(10)) {
                #expect(abs(world.space.dot(g, interest) - world.space.dot(e, interest)) < 1e-5)
            }
            #expect(got.first == interest || abs(world.space.dot(got[0], interest) - 1) < 1e-5)
        }
    }

    @Test func otherArtistPoolExcludesTheQueryArtist() {
        let world = TestWorlds.world(tracks: 200, users: 5)
        let lists = NearestNeighbours.compute(space: world.space, artists: world.catalog.artistOfTrack, queries: [0, 1, 2, 3, 4],
                                              nearestCount: 5, otherArtistCount: 50)
        for q in 0..<5 {
            let pool = lists.otherArtist[q * 50..<(q + 1) * 50]
            #expect(pool.allSatisfy { $0 >= 0 && world.catalog.artistOfTrack[Int($0)] != world.catalog.artistOfTrack[q] })
        }
    }
}
