import Core
@testable import Simulator

/// Small catalogs and worlds built in code, so tests need no files and run fast in debug.
enum TestWorlds {
    /// `count` tracks over `artists` artists and three genres, with features and popularity.
    static func catalog(count: Int = 400, artists: Int = 80, features: Bool = true) -> Catalog {
        var rng = SeededGenerator(seed: 7)
        let genreNames = ["pop", "rock", "rap"], subgenreNames = ["dance pop", "hard rock", "trap", "indie"]
        var genreOffsets: [Int32] = [0], genreIDs: [Int32] = [], subOffsets: [Int32] = [0], subIDs: [Int32] = []
        for t in 0..<count {
            genreIDs.append(Int32(t % 3))
            genreOffsets.append(Int32(genreIDs.count))
            subIDs.append(Int32(t % 4))
            subOffsets.append(Int32(subIDs.count))
        }
        let f = features ? (0..<(count * Catalog.featureCount)).map { _ in Float(rng.nextUnit()) } : []
        return Catalog(source: "test", titles: (0..<count).map { "track \($0)" }, albums: Array(repeating: "", count: count),
                       artistNames: (0..<artists).map { "artist \($0)" },
                       artistOfTrack: (0..<count).map { Int32($0 % artists) },
                       years: Array(repeating: 2000, count: count), durations: Array(repeating: 200, count: count),
                       popularity: (0..<count).map { Float($0 % 100) }, genreNames: genreNames, genreOffsets: genreOffsets,
                       genreIDs: genreIDs, subgenreNames: subgenreNames, subgenreOffsets: subOffsets, subgenreIDs: subIDs,
                       features: f)
    }

    static func world(tracks: Int = 400, users: Int = 200, seed: UInt64 = 1) -> World {
        World.generate(catalog: catalog(count: tracks), config: WorldConfig(seed: seed, users: users))
    }

    /// A world whose listener hears every unplayed track with fraction `t` exactly: all hidden
    /// vectors equal, one artist per track (no discount), bias chosen so the sigmoid gives t.
    static func constantFraction(_ t: Double, tracks: Int = 3000, users: Int = 50) -> World {
        let catalog = catalog(count: tracks, artists: tracks)
        let d = 4
        var vectors = [Float](repeating: 0, count: tracks * d)
        for i in 0..<tracks { vectors[i * d] = 1 }
        let sharpness = 10.0
        let bias = 1 - log(t / (1 - t)) / sharpness
        var config = WorldConfig(seed: 0, users: users)
        config.dimensions = d
        let population = UserPopulation(ids: (0..<users).map(Int64.init), interestOffsets: (0...users).map(Int32.init),
                                        interests: (0..<users).map { TrackID($0) },
                                        consumeBias: Array(repeating: bias, count: users),
                                        consumeSharpness: Array(repeating: sharpness, count: users),
                                        sessionBudget: Array(repeating: 5, count: users),
                                        artistDiscountGamma: Array(repeating: 0.8, count: users))
        return World(catalog: catalog, config: config, space: TasteSpace(dimensions: d, count: tracks, vectors: vectors),
                     users: population)
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
