import Core
import Testing
@testable import Simulator

/// Neighbour lists pinned by digests taken from the implementation before the C scoring kernel
/// (commit 0f47cde's Swift scan): a faster kernel must give exactly these lists, ties included.
@Suite struct NearestNeighboursGoldenTests {
    static func digest(_ values: [TrackID]) -> String {
        var h = WordHash()
        values.withUnsafeBytes { h.combine($0) }
        return String(h.value, radix: 16)
    }

    @Test func generatedWorldKeepsItsUsersAndLists() {
        let world = TestWorlds.world(tracks: 700, users: 120, seed: 3)
        let interests = Self.digest(world.users.interests), lists = Self.digest(world.neighbours.lists)
        #expect(interests == "b350033c941d10cb")
        #expect(lists == "cb96260f97d068d7")
    }

    @Test func float16SpaceWithTiesKeepsItsLists() {
        let d = 1000, n = 301
        var rng = SeededGenerator(seed: 5)
        var vectors = (0..<(n * d)).map { _ in Half.round(Float(rng.nextGaussian() * 0.05)) }
        // Exact ties: track 40 repeats track 7, 41 repeats 8 and 300 repeats 299.
        for (copy, original) in [(40, 7), (41, 8), (300, 299)] {
            for k in 0..<d { vectors[copy * d + k] = vectors[original * d + k] }
        }
        let space = TasteSpace(dimensions: d, count: n, vectors: vectors, precision: .float16)
        let artists = (0..<n).map { Int32($0 % 13) }
        let queries = (0..<37).map { TrackID(($0 * 11) % n) } + [7, 299]
        let lists = NearestNeighbours.compute(space: space, artists: artists, queries: queries, nearestCount: 20, otherArtistCount: 7)
        let nearest = Self.digest(lists.nearest), other = Self.digest(lists.otherArtist)
        #expect(nearest == "5f5c3d9fbcce6a0")
        #expect(other == "fe9c476070d0d38b")
    }
}
