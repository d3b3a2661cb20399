import Benchmark
import Core
import Foundation
import Recommenders

/// A catalog built in code with the shipped catalog's shape (artists of ~10 tracks, genre
/// clusters in feature space, skewed popularity), a synthetic log in which listeners favour one
/// genre, and models trained on it. Built lazily: each benchmark process pays only for what it
/// measures.
final class RecommenderFixture: @unchecked Sendable {
    let catalog: Catalog
    let index: CatalogIndex
    let genres = 24
    lazy var sessions: [ListeningSession] = makeSessions(count: max(20_000, catalog.count / 5))
    lazy var contexts: [RecommendationContext] = makeContexts(1_000)
    private var models: [String: TrainedModel] = [:]
    private var recommenders: [String: any Recommender] = [:]

    init(tracks n: Int) {
        var rng = SeededGenerator(seed: 2026, stream: UInt64(n))
        let artists = max(1, n / 10)
        let centres = (0..<genres * Catalog.featureCount).map { _ in Float(rng.nextGaussian()) }
        var features: [Float] = []
        features.reserveCapacity(n * Catalog.featureCount)
        var genreIDs: [Int32] = []
        let artistOf = (0..<n).map { _ in Int32(rng.nextIndex(artists)) }
        for t in 0..<n {
            let g = Int(artistOf[t]) % genres
            genreIDs.append(Int32(g))
            for d in 0..<Catalog.featureCount { features.append(centres[g * Catalog.featureCount + d] + 0.6 * Float(rng.nextGaussian())) }
        }
        catalog = Catalog(source: "synthetic \(n)", titles: (0..<n).map { "Track \($0)" }, albums: Array(repeating: "", count: n),
                          artistNames: (0..<artists).map { "Artist \($0)" }, artistOfTrack: artistOf,
                          years: Array(repeating: 2000, count: n), durations: Array(repeating: 210, count: n),
                          popularity: (0..<n).map { _ in Float(100 * pow(rng.nextUnit(), 3)) },
                          genreNames: (0..<genres).map { "genre \($0)" }, genreOffsets: (0...n).map { Int32($0) }, genreIDs: genreIDs,
                          subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1), subgenreIDs: [],
                          features: features)
        index = CatalogIndex(catalog)
    }

    private func genreOf(_ t: TrackID) -> Int { Int(catalog.genreIDs[Int(t)]) }

    /// Sessions of 8 plays: 70% from the listener's genre (heard well), the rest anywhere.
    private func makeSessions(count: Int) -> [ListeningSession] {
        var rng = SeededGenerator(seed: 7)
        var byGenre = Array(repeating: [TrackID](), count: genres)
        for t in catalog.trackIDs { byGenre[genreOf(t)].append(t) }
        return (0..<count).map { s in
            let user = Int64(s % 5_000)
            let g = Int(user) % genres
            var tracks: [TrackID] = [], fractions: [Float] = []
            for _ in 0..<8 {
                let t = rng.nextUnit() < 0.7 ? byGenre[g][rng.nextIndex(byGenre[g].count)] : TrackID(rng.nextIndex(catalog.count))
                tracks.append(t)
                fractions.append(genreOf(t) == g ? Float(0.6 + 0.4 * rng.nextUnit()) : Float(0.2 * rng.nextUnit()))
            }
            return ListeningSession(sessionID: Int64(s + 1), user: user, tracks: tracks, fractions: fractions)
        }
    }

    private func makeContexts(_ count: Int) -> [RecommendationContext] {
        var rng = SeededGenerator(seed: 8)
        return (0..<count).map { i in
            let s = sessions[rng.nextIndex(sessions.count)]
            let p = 1 + rng.nextIndex(s.tracks.count - 1)
            let session = (0..<p).map { (track: s.tracks[$0], fraction: s.fractions[$0]) }
            let h = sessions[(i * 7_919) % sessions.count]
            let history = zip(h.tracks, h.fractions).map { (track: $0, fraction: $1) }
            return RecommendationContext(user: s.user, session: session, history: history, catalog: catalog)
        }
    }

    func model(_ name: String) -> TrainedModel? {
        if let m = models[name] { return m }
        guard let trainer = try? StrategyRegistry.standard.strategy(named: name).trainer else { return nil }
        let m = try! trainer.train(sessions, catalog: catalog,
                                   options: TrainingOptions(factors: 32, iterations: catalog.count > 100_000 ? 3 : 10, threads: 2))
        models[name] = m
        return m
    }

    func recommender(_ name: String) -> any Recommender {
        if let r = recommenders[name] { return r }
        let needed = name == "bandit" ? StrategyRegistry.standard.trainableNames : [name]
        var ms: [String: TrainedModel] = [:]
        for n in needed { ms[n] = model(n) }
        let r = try! StrategyRegistry.standard.make(name, inputs: StrategyInputs(index: index, models: ms))
        recommenders[name] = r
        return r
    }
}

nonisolated(unsafe) private var fixtures: [Int: RecommenderFixture] = [:]

private func fixture(_ tracks: Int) -> RecommenderFixture {
    if let f = fixtures[tracks] { return f }
    let f = RecommenderFixture(tracks: tracks)
    fixtures[tracks] = f
    return f
}

func registerRecommenderBenchmarks() {
    let latency = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 50,
                                          maxDuration: .seconds(3), maxIterations: 20_000)
    for (label, tracks) in [("26k", 26_229), ("1M", 1_000_000)] {
        for name in StrategyRegistry.standard.names {
            var rng = SeededGenerator(seed: 1)
            var i = 0
            Benchmark("next() \(name) \(label)", configuration: latency) { benchmark in
                let f = fixture(tracks)
                let rec = f.recommender(name)
                let context = f.contexts[i % f.contexts.count]
                i += 1
                benchmark.startMeasurement()
                blackHole(rec.next(context, using: &rng))
            }
        }
    }

    let once = Benchmark.Configuration(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 0,
                                       maxDuration: .seconds(60), maxIterations: 3)
    Benchmark("iALS iteration (26k tracks, 5k users, 32 factors)", configuration: once) { benchmark in
        let f = fixture(26_229)
        let matrix = ialsMatrix(f.sessions, items: f.catalog.count)
        let t = matrix.transposed()
        var model = IALS(users: matrix.rows, items: matrix.columns, parameters: IALS.Parameters(factors: 32, threads: 2))
        benchmark.startMeasurement()
        model.iterate(userItems: matrix, itemUsers: t)
        blackHole(model)
    }

    let dim = 64
    nonisolated(unsafe) var hnswData: (vectors: [Float], index: HNSWIndex?)?
    func hnswFixture() -> (vectors: [Float], index: HNSWIndex?) {
        if let d = hnswData { return d }
        var rng = SeededGenerator(seed: 64)
        let centres = (0..<100 * dim).map { _ in Float(rng.nextGaussian()) }
        var v: [Float] = []
        for _ in 0..<20_000 {
            let c = rng.nextIndex(100)
            for d in 0..<dim { v.append(centres[c * dim + d] + 0.5 * Float(rng.nextGaussian())) }
        }
        hnswData = (v, nil)
        return hnswData!
    }
    Benchmark("HNSW build (20k × 64, M 16, efC 200, cosine)", configuration: once) { benchmark in
        let vectors = hnswFixture().vectors
        benchmark.startMeasurement()
        let index = HNSWIndex(vectors: vectors, dimension: dim, metric: .cosine, parameters: HNSWParameters(m: 16, efConstruction: 200))
        benchmark.stopMeasurement()
        hnswData?.index = index
    }
    var scratch = HNSWScratch()
    var q = 0
    Benchmark("HNSW query (20k × 64, ef 64, k 10)", configuration: latency) { benchmark in
        var data = hnswFixture()
        if data.index == nil {
            data.index = HNSWIndex(vectors: data.vectors, dimension: dim, metric: .cosine, parameters: HNSWParameters(m: 16, efConstruction: 200))
            hnswData = data
        }
        let query = data.vectors[(q % 20_000) * dim..<(q % 20_000 + 1) * dim]
        q += 7
        benchmark.startMeasurement()
        query.withUnsafeBufferPointer { data.index!.search($0, k: 10, ef: 64, scratch: &scratch) }
        blackHole(scratch.ids)
    }
}

private func ialsMatrix(_ sessions: [ListeningSession], items: Int) -> SparseMatrix {
    var triples: [(row: Int32, column: Int32, value: Float)] = []
    for s in sessions { for (t, f) in zip(s.tracks, s.fractions) where f > 0 { triples.append((Int32(s.user), t, f)) } }
    let users = Int(sessions.map(\.user).max() ?? 0) + 1
    return SparseMatrix(rows: users, columns: items, triples: triples)
}
