import Core
import Testing
@testable import Recommenders

/// Lists imported from the course's files (`botify recs import`) serve with the course's rules:
/// i2i as `I2IRecommender` in `botify/recommenders/i2i.py`, per-user as `Indexed` in
/// `indexed.py`, each falling back to the course's `Random`.
@Suite("Course recommendation lists")
struct CourseListTests {
    static let catalog = CourseBaselineTests.catalog  // 10 tracks
    static let index = CatalogIndex(catalog)

    static func list(_ kind: RecommendationListKind, _ lists: [(key: Int64, tracks: [TrackID])],
                     catalog: Catalog = catalog) -> RecommendationList {
        RecommendationList(name: "lf", kind: kind, catalogFingerprint: catalog.fingerprint, source: "test.jsonl",
                           importedAt: 0, lists: lists)
    }

    /// Track 1 lists [2, 3, 4], track 5 lists [6], track 7 has no line.
    static let i2i = try! ListI2IRecommender(list: list(.i2i, [(1, [2, 3, 4]), (5, [6])]), index: index)

    static func draws(_ rec: any Recommender, _ session: [(track: TrackID, fraction: Float)],
                      history: [(track: TrackID, fraction: Float)] = [], user: Int64 = 1, n: Int = 1_000) -> [Recommendation] {
        var rng = SeededGenerator(seed: 5)
        let context = RecommendationContext(user: user, session: session, history: history, catalog: catalog)
        return (0..<n).map { _ in rec.next(context, using: &rng) }
    }

    @Test("i2i: the anchor is drawn ∝ summed time heard over the last 10 plays; its first listed track answers")
    func anchorWeightedByTime() {
        let picks = Self.draws(Self.i2i, [(1, 0.9), (5, 0.1)]).map(\.track)
        #expect(Set(picks) == [2, 6])
        let fromOne = picks.filter { $0 == 2 }.count
        #expect((870...930).contains(fromOne), "\(fromOne) of 1000 from the anchor heard 0.9")
        // Repeats add up: track 5 heard twice for 0.45 weighs as much as track 1 heard 0.9.
        let summed = Self.draws(Self.i2i, [(5, 0.45), (1, 0.9), (5, 0.45)]).filter { $0.track == 6 }.count
        #expect((450...550).contains(summed), "\(summed) of 1000")
    }

    @Test("i2i: the first listed track not among the last 10 plays; older plays may come again")
    func firstUnseen() {
        #expect(Set(Self.draws(Self.i2i, [(1, 1), (2, 1)]).map(\.track)) == [3])
        #expect(Set(Self.draws(Self.i2i, [(1, 1), (2, 1), (3, 1)]).map(\.track)) == [4])
        // Track 2 was heard 11 plays ago: outside the course's 10-listen memory, so it is answered.
        let session: [(track: TrackID, fraction: Float)] = [(2, 1)] + Array(repeating: (8, 0), count: 9) + [(1, 1)]
        #expect(Set(Self.draws(Self.i2i, session).map(\.track)) == [2])
    }

    @Test("i2i: an anchor without a list (or with every listed track heard) is dropped and another drawn")
    func anchorDropped() {
        let picks = Self.draws(Self.i2i, [(7, 1), (1, 0.01)])
        #expect(Set(picks.map(\.track)) == [2])
        #expect(picks[0].reason.contains("lf lists this #1 for"), "\(picks[0].reason)")
        let exhausted = Self.draws(Self.i2i, [(5, 1), (6, 1), (1, 0.2)]).map(\.track)
        #expect(Set(exhausted) == [2])
    }

    @Test("i2i: only zero-time anchors left (the course answers HTTP 500) or none: the course's random, repeats allowed")
    func zeroTimeAnchors() {
        let zero = Self.draws(Self.i2i, [(1, 0), (5, 0)])
        #expect(zero.allSatisfy { $0.reason.contains("heard for 0") && $0.reason.contains("(fallback)") }, "\(zero[0].reason)")
        #expect(Set(zero.map(\.track)) == Set(0..<10))  // uniform over the catalog, 1 and 5 included
        let none = Self.draws(Self.i2i, [(8, 1)])
        #expect(none.allSatisfy { $0.reason.contains("no co-listened track left") })
        #expect(Set(none.map(\.track)).contains(8))
    }

    @Test("per-user: a uniform pick from the user's list whatever was played; random for a user without one")
    func perUser() throws {
        let rec = try ListPerUserRecommender(list: Self.list(.perUser, [(1, [3, 4, 5]), (9, [0])]), index: Self.index)
        let picks = Self.draws(rec, [(3, 1), (4, 1)], n: 3_000).map(\.track)
        #expect(Set(picks) == [3, 4, 5])
        for t: TrackID in [3, 4, 5] {
            let c = picks.filter { $0 == t }.count
            #expect((900...1100).contains(c), "track \(t): \(c) of 3000")
        }
        let other = Self.draws(rec, [(3, 1)], user: 2)
        #expect(other.allSatisfy { $0.reason.contains("no list for user 2") })
        #expect(Set(other.map(\.track)).count == 10)
        #expect(!rec.readsFractions)
        var rng = SeededGenerator(seed: 1)
        let ranked = rec.candidates(RecommendationContext(user: 1, session: [(4, 1)], catalog: Self.catalog), k: 2, using: &rng)
        #expect(ranked.map(\.track) == [3, 5])
    }

    @Test("a list imported against another catalog, or of the other kind, is refused with a clear error")
    func refusesOtherCatalog() {
        let other = CourseBaselineTests.catalog.prefixForTests(9)
        #expect(throws: InputError.self) { try ListI2IRecommender(list: Self.list(.i2i, [(1, [2])], catalog: other), index: Self.index) }
        #expect(throws: InputError.self) { try ListPerUserRecommender(list: Self.list(.i2i, [(1, [2])]), index: Self.index) }
    }

    /// Sessions in which tracks of the same block of 5 are heard together.
    static func sessions(catalog: Catalog, count: Int) -> [ListeningSession] {
        var rng = SeededGenerator(seed: 3)
        return (0..<count).map { s in
            let block = rng.nextIndex(catalog.count / 5) * 5
            let tracks = (0..<6).map { _ in TrackID(block + rng.nextIndex(5)) }
            return ListeningSession(sessionID: Int64(s + 1), user: Int64(s % 40), tracks: tracks,
                                    fractions: tracks.map { _ in Float(rng.nextIndex(5) + 1) / 5 })
        }
    }

    @Test("round trip: i2i exported as the course's file and imported back serves i2i's picks, seed for seed")
    func i2iRoundTrip() throws {
        let catalog = CourseBaselineTests.catalog.widenedForTests(200)
        let index = CatalogIndex(catalog)
        let model = try I2ITrainer().train(Self.sessions(catalog: catalog, count: 400), catalog: catalog)
        let trained = try I2IRecommender(index: index, model: model)
        let lists = try ListExport.i2i(strategy: "i2i", models: ["i2i": model], catalog: catalog, k: 50)
        #expect(!lists.isEmpty)
        let file = CourseRecommendationFile.write(Self.list(.i2i, lists, catalog: catalog))
        let read = try CourseRecommendationFile.read(file, file: "i2i.jsonl", kind: nil, trackCount: catalog.count)
        #expect(read.kind == .i2i)
        let imported = try ListI2IRecommender(list: Self.list(.i2i, read.lists, catalog: catalog), index: index)
        var contexts = SeededGenerator(seed: 11)
        var picked = 0
        for _ in 0..<500 {
            let plays = (0..<(1 + contexts.nextIndex(14))).map { _ in
                (track: TrackID(contexts.nextIndex(catalog.count)), fraction: Float(contexts.nextIndex(3)) / 2)
            }
            let context = RecommendationContext(user: 1, session: plays, catalog: catalog)
            var a = SeededGenerator(seed: contexts.next()), b = a
            let x = trained.next(context, using: &a), y = imported.next(context, using: &b)
            #expect(x.track == y.track, "\(x.reason) / \(y.reason)")
            if !x.reason.contains("fallback") { picked += 1 }
        }
        #expect(picked > 200, "most contexts are served from the lists, not the fallback (\(picked) of 500)")
    }

    @Test("round trip: als's per-user top 20 exported and imported back is each user's list, in order")
    func perUserRoundTrip() throws {
        let catalog = CourseBaselineTests.catalog.widenedForTests(200)
        let index = CatalogIndex(catalog)
        let sessions = Self.sessions(catalog: catalog, count: 400)
        let model = try ALSTrainer().train(sessions, catalog: catalog, options: TrainingOptions(factors: 8, iterations: 5))
        let als = try ALSRecommender(index: index, model: model)
        let lists = ListExport.perUser(als, sessions: sessions, catalog: catalog, k: 20, seed: 0)
        #expect(lists.count == 40 && lists.allSatisfy { $0.tracks.count == 20 })
        let file = CourseRecommendationFile.write(Self.list(.perUser, lists, catalog: catalog))
        let read = try CourseRecommendationFile.read(file, file: "u.json", kind: .perUser, trackCount: catalog.count)
        let imported = try ListPerUserRecommender(list: Self.list(.perUser, read.lists, catalog: catalog), index: index)
        for (user, tracks) in lists {
            var rng = SeededGenerator(seed: 1)
            let served = imported.candidates(RecommendationContext(user: user, session: [], catalog: catalog), k: 20, using: &rng)
            #expect(served.map(\.track) == tracks)
            let pick = imported.next(RecommendationContext(user: user, session: [(0, 1)], catalog: catalog), using: &rng).track
            #expect(tracks.contains(pick))
        }
        // als's neighbours as i2i lists: every track, 10 others each, never itself.
        let neighbours = try ListExport.i2i(strategy: "als", models: ["als": model], catalog: catalog, k: 10, threads: 3)
        #expect(neighbours.count == 200 && neighbours.allSatisfy { $0.tracks.count == 10 && !$0.tracks.contains(TrackID($0.key)) })
        #expect(try ListExport.i2i(strategy: "als", models: ["als": model], catalog: catalog, k: 10, threads: 1).map(\.tracks)
                == neighbours.map(\.tracks))
    }
}

extension Catalog {
    /// The first `n` tracks (another fingerprint).
    func prefixForTests(_ n: Int) -> Catalog {
        Catalog(source: "test-prefix", titles: Array((0..<n).map { "Track \($0)" }), albums: Array(repeating: "", count: n),
                artistNames: ["A"], artistOfTrack: Array(repeating: 0, count: n), years: Array(repeating: 2000, count: n),
                durations: Array(repeating: 200, count: n), popularity: Array(repeating: 1, count: n),
                genreNames: [], genreOffsets: Array(repeating: 0, count: n + 1), genreIDs: [],
                subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1), subgenreIDs: [], features: [])
    }

    /// A catalog of `n` tracks by 20 artists.
    func widenedForTests(_ n: Int) -> Catalog {
        Catalog(source: "test-wide", titles: (0..<n).map { "Track \($0)" }, albums: Array(repeating: "", count: n),
                artistNames: (0..<20).map { "Artist \($0)" }, artistOfTrack: (0..<n).map { Int32($0 % 20) },
                years: Array(repeating: 2000, count: n), durations: Array(repeating: 200, count: n),
                popularity: (0..<n).map { Float($0 % 100) },
                genreNames: [], genreOffsets: Array(repeating: 0, count: n + 1), genreIDs: [],
                subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1), subgenreIDs: [], features: [])
    }
}
