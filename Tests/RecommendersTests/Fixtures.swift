import Core
@testable import Recommenders

/// A catalog built in code: `count` tracks over `artists` artists, seeded popularity and
/// features (features clustered by artist so content neighbours are meaningful).
func makeCatalog(count: Int, artists: Int = 5, features: Bool = true, seed: UInt64 = 1) -> Catalog {
    var rng = SeededGenerator(seed: seed)
    let artists = max(1, min(artists, count))
    let artistOf = (0..<count).map { Int32($0 % artists) }
    var f: [Float] = []
    if features {
        for t in 0..<count {
            for d in 0..<Catalog.featureCount { f.append(Float(artistOf[t]) * Float(d + 1) * 0.1 + Float(rng.nextGaussian()) * 0.05) }
        }
    }
    return Catalog(source: "test", titles: (0..<count).map { "Track \($0)" }, albums: Array(repeating: "", count: count),
                   artistNames: (0..<artists).map { "Artist \($0)" }, artistOfTrack: artistOf,
                   years: Array(repeating: 2000, count: count), durations: Array(repeating: 200, count: count),
                   popularity: (0..<count).map { _ in Float(rng.nextIndex(101)) },
                   genreNames: [], genreOffsets: Array(repeating: 0, count: count + 1), genreIDs: [],
                   subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: count + 1), subgenreIDs: [],
                   features: f)
}

/// Sessions whose listeners like one "group" of tracks (t % groups == group): well heard
/// inside the group, skipped outside. Collaborative strategies should learn the groups.
func groupedSessions(catalog: Catalog, groups: Int, sessions: Int, length: Int = 8, seed: UInt64 = 3) -> [ListeningSession] {
    var rng = SeededGenerator(seed: seed)
    var out: [ListeningSession] = []
    let n = catalog.count
    for s in 0..<sessions {
        let user = Int64(s % 50)
        let group = Int(user) % groups
        var tracks: [TrackID] = []
        var fractions: [Float] = []
        for _ in 0..<length {
            let t = rng.nextUnit() < 0.7
                ? TrackID((rng.nextIndex(max(1, n / groups)) * groups + group) % n)
                : TrackID(rng.nextIndex(n))
            tracks.append(t)
            fractions.append(Int(t) % groups == group ? 1 : 0.1)
        }
        out.append(ListeningSession(sessionID: Int64(s + 1), user: user, tracks: tracks, fractions: fractions))
    }
    return out
}

/// Every trainable strategy in `registry` trained on `sessions`.
func trainedInputs(_ catalog: Catalog, sessions: [ListeningSession], registry: StrategyRegistry = .standard) throws -> StrategyInputs {
    var models: [String: TrainedModel] = [:]
    let options = TrainingOptions(factors: 8, iterations: 5, seed: 5, threads: 1)
    for s in registry.strategies {
        if let trainer = s.trainer { models[s.name] = try trainer.train(sessions, catalog: catalog, options: options) }
    }
    return StrategyInputs(catalog: catalog, models: models)
}
