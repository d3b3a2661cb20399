import Core
import Recommenders
import Testing
@testable import Simulator

/// The world cache's bytes (issue #13, item 4): a cached world is the generated one bit for bit,
/// a changed input changes the identity, and damaged bytes are refused, never half-used.
@Suite struct WorldCacheTests {
    /// What a run heard: user, interest, then every play's track and fraction.
    static func sessions(_ world: World, strategy: any Recommender, name: String) throws -> [[String]] {
        let plan = SimulationPlan(users: world.users.count, sessionsPerUser: 3, seed: 9, threads: 2,
                                  arms: [SimulationArm(name: name, recommender: strategy)])
        let sink = MemorySink()
        _ = try HeadlessSimulator(world: world, plan: plan).run(sink: sink, blockSessions: 100)
        return sink.sessions.map { log in
            ["\(log.user) \(log.interestTrack!)"] + log.plays.map { "\($0.track):\($0.fraction)" }
        }
    }

    @Test func cachedGeneratedWorldEqualsAFreshOneBitForBit() throws {
        let catalog = TestWorlds.catalog(count: 400)
        let config = WorldConfig(seed: 5, users: 150)
        let fresh = World.generate(catalog: catalog, config: config)
        let bytes = WorldCache.encode(generated: fresh)
        let cached = try WorldCache.decodeGenerated(bytes, catalog: catalog, config: config)
        #expect(cached.space == fresh.space && cached.users == fresh.users && cached.neighbours == fresh.neighbours)
        #expect(cached.slotNearest == fresh.slotNearest && cached.config == fresh.config)
        #expect(cached.space.vectors.map(\.bitPattern) == fresh.space.vectors.map(\.bitPattern))
        // Sessions, including oracle's walk over the full lists, are the same.
        for (name, a, b) in [("random", RandomRecommender() as any Recommender, RandomRecommender() as any Recommender),
                             ("oracle", OracleRecommender(world: fresh), OracleRecommender(world: cached))] {
            let heard = try Self.sessions(fresh, strategy: a, name: name)
            #expect(heard.count == 450)
            #expect(try Self.sessions(cached, strategy: b, name: name) == heard, "\(name)")
        }
        // And re-encoding gives the same bytes.
        #expect(WorldCache.encode(generated: cached) == bytes)
    }

    @Test func identityChangesWithEveryInputGenerationReads() {
        let catalog = TestWorlds.catalog(count: 300)
        let base = WorldCache.identity(generating: catalog, config: WorldConfig(seed: 1, users: 50))
        #expect(base == WorldCache.identity(generating: TestWorlds.catalog(count: 300), config: WorldConfig(seed: 1, users: 50)))
        #expect(base != WorldCache.identity(generating: catalog, config: WorldConfig(seed: 2, users: 50)))
        #expect(base != WorldCache.identity(generating: catalog, config: WorldConfig(seed: 1, users: 51)))
        var wider = WorldConfig(seed: 1, users: 50)
        wider.interestPool = 40
        #expect(base != WorldCache.identity(generating: catalog, config: wider))
        // Same titles and artists (so the same fingerprint), other popularity: another world.
        let c = catalog
        let repopular = Catalog(source: c.source, titles: c.titles, albums: c.albums, artistNames: c.artistNames,
                                artistOfTrack: c.artistOfTrack, years: c.years, durations: c.durations,
                                popularity: c.popularity.map { 100 - $0 }, genreNames: c.genreNames, genreOffsets: c.genreOffsets,
                                genreIDs: c.genreIDs, subgenreNames: c.subgenreNames, subgenreOffsets: c.subgenreOffsets,
                                subgenreIDs: c.subgenreIDs, features: c.features)
        #expect(repopular.fingerprint == catalog.fingerprint)
        #expect(base != WorldCache.identity(generating: repopular, config: WorldConfig(seed: 1, users: 50)))
    }

    @Test func damagedOrMismatchedBytesAreRefused() throws {
        let catalog = TestWorlds.catalog(count: 300)
        let config = WorldConfig(seed: 3, users: 40)
        let bytes = WorldCache.encode(generated: World.generate(catalog: catalog, config: config))
        func refused(_ b: [UInt8], _ c: WorldConfig = config, _ cat: Catalog? = nil) -> Bool {
            (try? WorldCache.decodeGenerated(b, catalog: cat ?? catalog, config: c)) == nil
        }
        #expect(!refused(bytes))
        #expect(refused(Array(bytes.dropLast(4))), "truncated")
        #expect(refused(bytes + [0, 0, 0, 0, 0, 0, 0, 0]), "trailing bytes")
        #expect(refused(bytes, WorldConfig(seed: 3, users: 41)), "other user count")
        #expect(refused(bytes, config, TestWorlds.catalog(count: 299)), "other catalog size")
        var wrongFormat = bytes
        wrongFormat[8] &+= 1
        #expect(refused(wrongFormat), "format")
        // The last list entry set to a track beyond the catalog.
        var outOfRange = bytes
        for i in 0..<4 { outOfRange[outOfRange.count - 4 + i] = [0x10, 0x27, 0, 0][i] }
        #expect(refused(outOfRange), "track 10000 in a 300-track world")
        #expect((try? WorldCache.decodeNeighbours(bytes, tracks: 300, width: 64)) == nil, "a generated entry is not a list entry")
    }

    @Test func importedWorldReusesListsAndComputesOnlyTheMissingOnes() throws {
        let full = TestWorlds.world(tracks: 400, users: 120, seed: 4)
        let contents = CourseWorldFiles.Contents(catalog: full.catalog, config: full.config, space: full.space, users: full.users)
        let small = contents.world(users: 30)
        #expect(small.users.count == 30 && small.neighbours.tracks == Array(Set(full.users.prefix(30).interests)).sorted())
        let encoded = WorldCache.encode(small.neighbours)
        let known = try WorldCache.decodeNeighbours(encoded, tracks: 400, width: contents.candidateCount(users: 120))
        let grown = contents.world(users: 120, reusing: known)
        let fresh = contents.world(users: 120)
        #expect(grown.neighbours == fresh.neighbours && grown.slotNearest == fresh.slotNearest)
        #expect(grown.slotNearest == full.slotNearest, "the same lists as the generated world computed")
        #expect(try Self.sessions(grown, strategy: RandomRecommender(), name: "random")
                == Self.sessions(fresh, strategy: RandomRecommender(), name: "random"))
        #expect((try? WorldCache.decodeNeighbours(encoded, tracks: 400, width: 65)) == nil, "another width")
        #expect((try? WorldCache.decodeNeighbours(encoded, tracks: 10, width: 64)) == nil, "tracks beyond the catalog")
        #expect(WorldCache.identity(neighboursOver: full.space, width: 64)
                != WorldCache.identity(neighboursOver: TestWorlds.world(tracks: 400, users: 1, seed: 5).space, width: 64))
    }

    /// The blocked scan (track chunks × query groups) gives exactly the lists of scoring every
    /// track with one sequential Float32 sum per lane, best first, ties to the lower id.
    @Test func blockedScanIsExactAtHighDimension() {
        let d = 2048, n = 300
        var rng = SeededGenerator(seed: 11)
        let vectors = (0..<(n * d)).map { _ in Float(rng.nextGaussian()) }
        let space = TasteSpace(dimensions: d, count: n, vectors: vectors)
        let artists = (0..<n).map { Int32($0 % 17) }
        let queries = (0..<41).map { TrackID(($0 * 7) % n) }
        let (groupQueries, chunkTiles) = NearestNeighbours.blocking(dimensions: d, queries: queries.count)
        #expect(groupQueries < queries.count && queries.count % groupQueries != 0 && chunkTiles * NearestNeighbours.tile < n,
                "several groups (the last one padded) and chunks (the last one padded)")
        let lists = NearestNeighbours.compute(space: space, artists: artists, queries: queries, nearestCount: 12, otherArtistCount: 9)
        for (i, q) in queries.enumerated() {
            let scores = (0..<n).map { t -> Float in
                var s: Float = 0
                for k in 0..<d { s += vectors[t * d + k] * vectors[Int(q) * d + k] }
                return s
            }
            let order = (0..<n).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.map(TrackID.init)
            #expect(Array(lists.nearest[i * 12..<(i + 1) * 12]) == Array(order.prefix(12)))
            #expect(Array(lists.otherArtist[i * 9..<(i + 1) * 9]) == Array(order.filter { artists[Int($0)] != artists[Int(q)] }.prefix(9)))
        }
    }
}
