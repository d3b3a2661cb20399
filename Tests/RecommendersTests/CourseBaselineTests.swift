import Core
import Testing
@testable import Recommenders

/// The course mirrors follow the course service's rules (botify/recommenders/*.py in
/// anokhin/recsys-course-spring-2026), repeats included; their `-fresh` variants never repeat.
@Suite("Course baselines")
struct CourseBaselineTests {
    /// Track 0 is the only track by "Solo"; 1, 2, 3 are by "Band"; 4…9 by "Others".
    static let catalog: Catalog = {
        let artistOf: [Int32] = [0, 1, 1, 1, 2, 2, 2, 2, 2, 2]
        let n = artistOf.count
        return Catalog(source: "test", titles: (0..<n).map { "Track \($0)" }, albums: Array(repeating: "", count: n),
                       artistNames: ["Solo", "Band", "Others"], artistOfTrack: artistOf,
                       years: Array(repeating: 2000, count: n), durations: Array(repeating: 200, count: n),
                       popularity: (0..<n).map { Float($0) },
                       genreNames: [], genreOffsets: Array(repeating: 0, count: n + 1), genreIDs: [],
                       subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1), subgenreIDs: [],
                       features: [])
    }()

    static func make(_ name: String, _ inputs: StrategyInputs = StrategyInputs(catalog: catalog)) throws -> any Recommender {
        try StrategyRegistry.standard.make(name, inputs: inputs)
    }

    static func picks(_ rec: any Recommender, _ session: [(track: TrackID, fraction: Float)],
                      history: [(track: TrackID, fraction: Float)] = [], catalog: Catalog = catalog, n: Int = 300) -> [TrackID] {
        var rng = SeededGenerator(seed: 21)
        let context = RecommendationContext(user: 1, session: session, history: history, catalog: catalog)
        return (0..<n).map { _ in rec.next(context, using: &rng).track }
    }

    @Test("sticky-artist: a single-track artist repeats its track (heard 0 by the listener); sticky-artist-fresh moves on")
    func singleTrackArtistRepeats() throws {
        let sticky = try Self.make("sticky-artist")
        var rng = SeededGenerator(seed: 1)
        let r = sticky.next(RecommendationContext(user: 1, session: [(0, 1)], catalog: Self.catalog), using: &rng)
        #expect(r.track == 0 && r.reason.contains("only track by Solo"), "\(r.reason)")
        #expect(Set(Self.picks(sticky, [(0, 1)])) == [0])
        #expect(!Self.picks(try Self.make("sticky-artist-fresh"), [(0, 1)]).contains(0))
    }

    @Test("sticky-artist: uniform over the artist's other tracks, played or not; no memory of the session")
    func stickyHasNoMemory() throws {
        let sticky = try Self.make("sticky-artist")
        let picks = Self.picks(sticky, [(1, 1), (2, 1), (3, 1)])
        #expect(Set(picks) == [1, 2])  // both already played; never the previous track itself
        let ones = picks.filter { $0 == 1 }.count
        #expect((110...190).contains(ones), "\(ones) of 300")
        // The fresh variant has no unplayed Band track left: it falls back to random-fresh.
        let fresh = Self.picks(try Self.make("sticky-artist-fresh"), [(1, 1), (2, 1), (3, 1)])
        #expect(fresh.allSatisfy { ![1, 2, 3].contains($0) })
    }

    @Test("random: uniform over the catalog, repeats allowed; random-fresh never repeats")
    func randomRepeats() throws {
        let session: [(track: TrackID, fraction: Float)] = [(0, 1), (1, 0.5), (2, 0.2)]
        let picks = Self.picks(try Self.make("random"), session, n: 1_000)
        let repeats = picks.filter { $0 <= 2 }.count
        #expect((240...360).contains(repeats), "\(repeats) of 1000 picks repeat (expected ≈ 300)")
        #expect(Set(picks) == Set(Self.catalog.trackIDs))
        #expect(Self.picks(try Self.make("random-fresh"), session).allSatisfy { $0 > 2 })
    }

    @Test("sticky-mixed: random below 0.3 (prev_track_time < 0.3), sticky-artist from 0.3 on")
    func stickyMixedThreshold() throws {
        let mixed = try Self.make("sticky-mixed")
        let afterGood = Self.picks(mixed, [(4, 1), (1, 0.3)])
        #expect(Set(afterGood) == [2, 3])
        let afterSkip = Self.picks(mixed, [(4, 1), (1, 0.29)])
        #expect(Set(afterSkip) == Set(Self.catalog.trackIDs))  // any track, the skipped one and the first included
        // Single-track artist after a good listen: repeats, as sticky-artist does.
        #expect(Set(Self.picks(mixed, [(0, 0.9)])) == [0])
        #expect(!Self.picks(try Self.make("sticky-mixed-fresh"), [(0, 0.9)]).contains(0))
    }

    /// 0 ↔ 1, 2 ↔ 3 and 10 ↔ 11 co-listened, on a 30-track catalog.
    static func i2iInputs() throws -> (Catalog, StrategyInputs) {
        let catalog = makeCatalog(count: 30, artists: 30, features: false)
        let log = [ListeningSession(sessionID: 1, user: 1, tracks: [0, 1], fractions: [1, 1]),
                   ListeningSession(sessionID: 2, user: 2, tracks: [2, 3], fractions: [1, 1]),
                   ListeningSession(sessionID: 3, user: 3, tracks: [10, 11], fractions: [1, 1])]
        return (catalog, try trainedInputs(catalog, sessions: log))
    }

    @Test("i2i: anchors weigh their summed listened fraction; an anchor heard for 0 is never drawn")
    func i2iAnchorWeights() throws {
        let (catalog, inputs) = try Self.i2iInputs()
        let i2i = try Self.make("i2i", inputs)
        #expect(Set(Self.picks(i2i, [(0, 1), (2, 0)], catalog: catalog)) == [1])
        // Earlier sessions count fully (the course keeps one list of the last 10 listens).
        #expect(Set(Self.picks(i2i, [(5, 1)], history: [(0, 1)], catalog: catalog)) == [1])
    }

    @Test("i2i: only the last 10 plays are avoided, so an older track of the session comes back")
    func i2iRemembersTen() throws {
        let (catalog, inputs) = try Self.i2iInputs()
        var session: [(track: TrackID, fraction: Float)] = [(11, 1)]
        for t in 20..<29 { session.append((TrackID(t), 0.5)) }
        session.append((10, 1))
        #expect(session.count == 11)
        #expect(Set(Self.picks(try Self.make("i2i", inputs), session, catalog: catalog)) == [11])
        #expect(!Self.picks(try Self.make("i2i-fresh", inputs), session, catalog: catalog).contains(11))
    }

    @Test("i2i: an anchor with nothing new is dropped; when only zero-weight anchors are left it answers random")
    func i2iZeroWeights() throws {
        let (catalog, inputs) = try Self.i2iInputs()
        let i2i = try Self.make("i2i", inputs)
        var rng = SeededGenerator(seed: 3)
        // Anchor 0's only neighbour (1) is remembered; anchor 1 weighs 0: the course raises here.
        let r = i2i.next(RecommendationContext(user: 1, session: [(0, 1), (1, 0)], catalog: catalog), using: &rng)
        #expect(r.reason.contains("total of weights must be greater than zero") && r.reason.contains("picked at random"), "\(r.reason)")
        let untrained = try Self.make("i2i", StrategyInputs(catalog: catalog))
        #expect(untrained.next(RecommendationContext(user: 1, session: [(0, 1)], catalog: catalog), using: &rng)
            .reason.hasPrefix("i2i not trained yet"))
    }
}
