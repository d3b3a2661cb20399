import Core
import Foundation
@testable import Ranking
import Recommenders
import Testing

/// A catalog of `count` tracks over `artists` artists and `genres` genres (artist a plays genre
/// a % genres), features clustered by artist.
func rankingCatalog(count: Int = 120, artists: Int = 12, genres: Int = 3, seed: UInt64 = 1) -> Catalog {
    var rng = SeededGenerator(seed: seed)
    let artistOf = (0..<count).map { Int32($0 % artists) }
    var f: [Float] = []
    for t in 0..<count {
        for d in 0..<Catalog.featureCount { f.append(Float(artistOf[t]) * Float(d + 1) * 0.1 + Float(rng.nextGaussian()) * 0.05) }
    }
    return Catalog(source: "ranking-test", titles: (0..<count).map { "Track \($0)" }, albums: Array(repeating: "", count: count),
                   artistNames: (0..<artists).map { "Artist \($0)" }, artistOfTrack: artistOf,
                   years: Array(repeating: 2000, count: count), durations: (0..<count).map { Float(150 + $0) },
                   popularity: (0..<count).map { Float($0 % 100) },
                   genreNames: (0..<genres).map { "genre \($0)" }, genreOffsets: (0...count).map { Int32($0) },
                   genreIDs: artistOf.map { $0 % Int32(genres) },
                   subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: count + 1), subgenreIDs: [],
                   features: f)
}

/// Listeners who hear a track to the end when it is by the artist of the track before, and skip
/// it otherwise: a signal the ranker's "same artist as last" feature decides.
func stickySessions(_ catalog: Catalog, sessions: Int, length: Int = 8, seed: UInt64 = 5) -> [ListeningSession] {
    var rng = SeededGenerator(seed: seed)
    return (0..<sessions).map { s in
        var tracks: [TrackID] = [TrackID(rng.nextIndex(catalog.count))]
        var fractions: [Float] = [1]
        for _ in 1..<length {
            let t: TrackID = rng.nextUnit() < 0.5
                ? TrackID((Int(catalog.artist(tracks.last!)) + 12 * rng.nextIndex(catalog.count / 12)) % catalog.count)
                : TrackID(rng.nextIndex(catalog.count))
            tracks.append(t)
            fractions.append(catalog.artist(t) == catalog.artist(tracks[tracks.count - 2]) ? 0.95 : 0.05)
        }
        return ListeningSession(sessionID: Int64(s + 1), user: Int64(s % 40), tracks: tracks, fractions: fractions)
    }
}

@Suite("ranker strategy")
struct RankerTests {
    static let catalog = rankingCatalog()
    static let options = TrainingOptions(factors: 4, iterations: 2, seed: 9, threads: 1)
    static let boost = BoostParameters(rounds: 20, depth: 3, eta: 0.3)

    static func trained(threads: Int = 1, config: RankerConfig = RankerConfig()) throws -> TrainedModel {
        var o = options
        o.threads = threads
        return try RankerTrainer(config: config, boost: boost).train(stickySessions(catalog, sessions: 300), catalog: catalog, options: o)
    }

    static func ranker(_ model: TrainedModel?, config: RankerConfig = RankerConfig()) throws -> RankerRecommender {
        try RankerStrategy.make(StrategyInputs(catalog: catalog, models: model.map { [RankerStrategy.name: $0] } ?? [:]), config: config)
    }

    /// A whole simulated session: each pick heard to the end.
    static func session(_ r: RankerRecommender, seed: UInt64, length: Int = 60) -> [TrackID] {
        var rng = SeededGenerator(seed: seed)
        var session: [(track: TrackID, fraction: Float)] = [(0, 1)]
        while session.count < length {
            let pick = r.next(RecommendationContext(user: 1, session: session, catalog: catalog), using: &rng)
            session.append((pick.track, 1))
        }
        return session.map(\.track)
    }

    @Test("features of a fixed context are the documented values")
    func features() {
        let f = RankerFeatures(generators: ["i2i", "top-pop"], catalog: Self.catalog)
        // Tracks 0 and 12 are by artist 0 (genre 0); 13 by artist 1 (genre 1).
        let context = RecommendationContext(user: 1, session: [(0, 1), (13, 0.2), (12, 0.9)],
                                            history: [(24, 1), (1, 1)], catalog: Self.catalog)
        var row: [Float] = []
        f.append(CandidateUnion.Entry(track: 36, ranks: [2, nil]), summary: f.summary(context), to: &row)
        let named = Dictionary(uniqueKeysWithValues: zip(f.names, row))
        #expect(f.names.count == row.count && f.names.first == "i2i rank")
        #expect(named["i2i rank"] == 2 && named["top-pop rank"]!.isNaN && named["generators proposing"] == 1)
        #expect(named["popularity"] == 36 && named["duration"] == 186)
        #expect(named["artist plays in session"] == 2 && named["artist skips in session"] == 0)
        #expect(named["same artist as last"] == 1 && named["same genre as last"] == 1)
        #expect(named["last fraction"] == 0.9 && named["position"] == 3)
        #expect(abs(named["session genre share"]! - 1.9 / 2.1) < 1e-6)
        #expect(named["history artist share"] == 0.5 && named["history genre share"] == 0.5)
        // Artist 0's tracks sound alike: close to the centroid of the two well-heard ones.
        #expect(named["sound similarity"]! > 0.9)
    }

    @Test("training on a planted signal learns it: same-artist candidates score higher")
    func plantedSignal() throws {
        let r = try Self.ranker(try Self.trained())
        let context = RecommendationContext(user: 1, session: [(5, 1), (17, 1)], catalog: Self.catalog)
        var rng = SeededGenerator(seed: 1)
        let (scored, _) = r.scored(context, using: &rng)
        let same = scored.filter { Self.catalog.artist($0.entry.track) == 5 }.map(\.score)
        let other = scored.filter { Self.catalog.artist($0.entry.track) != 5 }.map(\.score)
        #expect(!same.isEmpty && !other.isEmpty)
        let meanSame: Float = same.reduce(0, +) / Float(same.count)
        let meanOther: Float = other.reduce(0, +) / Float(other.count)
        #expect(meanSame > meanOther + 0.3, "same artist \(meanSame), other \(meanOther)")
    }

    @Test("same seed, same model whatever the threads; save/load gives identical picks")
    func deterministic() throws {
        let one = try Self.trained(threads: 1), two = try Self.trained(threads: 2)
        let a1 = try RankerModel(bytes: one.payload, what: "1"), a2 = try RankerModel(bytes: two.payload, what: "2")
        #expect(a1.generators.map { $0.model?.payload } == a2.generators.map { $0.model?.payload }, "generator models differ")
        #expect(a1.booster == a2.booster, "XGBoost's trees differ between 1 and 2 threads")
        #expect(one.loss == two.loss)
        #expect(one.payload == two.payload, "the payloads differ")
        let again = try TrainedModel(bytes: one.encoded())
        let a = try Self.ranker(one), b = try Self.ranker(again)
        #expect(Self.session(a, seed: 4) == Self.session(b, seed: 4))
        #expect(Self.session(a, seed: 4) != Self.session(a, seed: 5))
    }

    @Test("never a repeat; the artist cap holds in every window", arguments: [false, true])
    func rules(trained: Bool) throws {
        let config = RankerConfig()
        let r = try Self.ranker(trained ? try Self.trained() : nil, config: config)
        let tracks = Self.session(r, seed: 11, length: 100)
        #expect(Set(tracks).count == tracks.count)
        for end in 1..<tracks.count {
            let window = tracks[max(0, end - config.artistWindow)..<end]
            let artist = Self.catalog.artist(tracks[end])
            #expect(window.filter { Self.catalog.artist($0) == artist }.count < config.artistCap,
                    "pick \(end) by artist \(artist) after \(window.map { Self.catalog.artist($0) })")
        }
        var rng = SeededGenerator(seed: 3)
        let context = RecommendationContext(user: 1, session: [(0, 1), (12, 1)], catalog: Self.catalog)
        let list = r.candidates(context, k: 10, using: &rng)
        #expect(list.count == 10 && Set(list.map(\.track)).count == 10 && !list.contains { context.played($0.track) })
        #expect(!list.contains { Self.catalog.artist($0.track) == 0 })
    }

    @Test("the why-line names the proposing generators and the top contributions")
    func explanation() throws {
        let r = try Self.ranker(try Self.trained(), config: RankerConfig(exploration: 0))
        var rng = SeededGenerator(seed: 2)
        let pick = r.next(RecommendationContext(user: 1, session: [(5, 1), (17, 1)], catalog: Self.catalog), using: &rng)
        #expect(pick.reason.hasPrefix("ranker 0.") && pick.reason.contains("proposed by "), "\(pick.reason)")
        #expect(pick.reason.contains("(+") || pick.reason.contains("(−"), "\(pick.reason)")
    }

    @Test("a caller that shows no reason (headless) gets the same picks without the contributions")
    func headlessSkipsTheExplanation() throws {
        let r = try Self.ranker(try Self.trained(), config: RankerConfig(exploration: 0))
        var shown = RecommendationContext(user: 1, session: [(5, 1), (17, 1)], catalog: Self.catalog)
        var headless = shown
        headless.explains = false
        for seed in UInt64(1)...20 {
            var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed)
            let withReason = r.next(shown, using: &a), without = r.next(headless, using: &b)
            #expect(withReason.track == without.track)
            #expect(without.reason.hasPrefix("ranker 0.") && without.reason.contains("not explained") && !without.reason.contains("(+"),
                    "\(without.reason)")
            shown.session.append((withReason.track, 0.5))
            headless.session.append((without.track, 0.5))
        }
    }

    /// What served before the Swift evaluator: XGBoost's own prediction and pred_contribs.
    @Test("the Swift tree evaluator serves the picks and why-lines XGBoost's prediction serves")
    func evaluatorServesXGBoostsPicks() throws {
        let fast = try Self.ranker(try Self.trained())
        #expect(fast.ensemble != nil)
        var xgboost = fast
        xgboost.ensemble = nil
        for seed in UInt64(1)...8 {
            var a = SeededGenerator(seed: seed), b = a
            var session: [(track: TrackID, fraction: Float)] = [(TrackID(seed * 5), 1)]
            for step in 0..<25 {
                let context = RecommendationContext(user: Int64(seed), session: session, history: [(3, 1), (40, 0.2)], catalog: Self.catalog)
                let p = fast.next(context, using: &a), q = xgboost.next(context, using: &b)
                #expect(p == q, "seed \(seed), step \(step)")
                session.append((p.track, step % 3 == 0 ? 0.1 : 0.9))
            }
        }
    }

    @Test("next(clock:) times every stage and picks what next() picks")
    func stageClock() throws {
        let r = try Self.ranker(try Self.trained(), config: RankerConfig(exploration: 0))
        let context = RecommendationContext(user: 1, session: [(5, 1), (17, 1)], catalog: Self.catalog)
        var a = SeededGenerator(seed: 3), b = a
        var clock = StageClock()
        let timed = r.next(context, using: &a, clock: &clock)
        #expect(timed == r.next(context, using: &b))
        #expect(clock.candidates > 0 && clock.features > 0 && clock.scoring > 0 && clock.explanation > 0, "\(clock.values)")
        #expect(clock.total == clock.values.reduce(0, +))
    }

    @Test("a model for another catalog or another feature set is refused")
    func refusals() throws {
        let model = try Self.trained()
        let other = rankingCatalog(count: 60)
        #expect(throws: InputError.self) {
            try RankerStrategy.make(StrategyInputs(catalog: other, models: [RankerStrategy.name: model]), config: RankerConfig())
        }
        var payload = try RankerModel(bytes: model.payload, what: "test")
        payload.featureNames[0] = "something else"
        var tampered = model
        tampered.payload = payload.encoded()
        do {
            _ = try Self.ranker(tampered)
            Issue.record("a model from another feature set was accepted")
        } catch let e as InputError {
            #expect(e.description.contains("another feature set"), "\(e)")
        }
    }
}
