import Core
import Ranking
import Testing
@testable import Recommenders

/// The rules every registered strategy keeps, trained or not (docs/ARCHITECTURE.md §5). The course mirrors
/// (`random`, `sticky-artist`, `sticky-mixed`, `i2i`) repeat tracks as the course's service does,
/// so the no-repeat rules apply to botify's own strategies only; CourseBaselineTests checks the
/// mirrors against the course's rules.
@Suite("Strategy contract")
struct StrategyContractTests {
    /// The standard strategies and `ranker` (Sources/Ranking), which keeps the same rules.
    static let registry = StrategyRegistry.withRanker()
    static let names = registry.names
    /// Every strategy that must never repeat a session's track while others remain.
    static let nonRepeating = registry.strategies.filter { !$0.mirrorsCourse }.map(\.name)
    static func mirrorsCourse(_ name: String) -> Bool { StrategyRegistry.standard.courseMirrorNames.contains(name) }

    @Test("the course mirrors are random, sticky-artist, sticky-mixed and i2i, each with a -fresh variant")
    func courseMirrors() {
        let mirrors = StrategyRegistry.standard.courseMirrorNames
        #expect(mirrors == ["random", "sticky-artist", "sticky-mixed", "i2i"])
        for name in mirrors { #expect(Self.nonRepeating.contains(name + "-fresh")) }
    }

    static func inputs(trained: Bool, catalog: Catalog) throws -> StrategyInputs {
        trained ? try trainedInputs(catalog, sessions: groupedSessions(catalog: catalog, groups: 3, sessions: 60), registry: registry)
                : StrategyInputs(catalog: catalog)
    }

    @Test("never repeats a session's track while others remain, until the catalog is exhausted",
          arguments: nonRepeating, [false, true])
    func noRepeats(name: String, trained: Bool) throws {
        let catalog = makeCatalog(count: 24, artists: 4)
        let rec = try Self.registry.make(name, inputs: Self.inputs(trained: trained, catalog: catalog))
        var rng = SeededGenerator(seed: 11)
        var session: [(track: TrackID, fraction: Float)] = [(0, 1)]
        for step in 1..<catalog.count {
            let r = rec.next(RecommendationContext(user: 1, session: session, catalog: catalog), using: &rng)
            #expect(catalog.trackIDs.contains(r.track))
            #expect(!session.contains { $0.track == r.track }, "\(name) repeated track \(r.track) at step \(step): \(r.reason)")
            #expect(!r.reason.isEmpty)
            session.append((r.track, step % 3 == 0 ? 0.1 : 0.9))
        }
        // Everything heard: a repeat is allowed, a crash is not.
        let last = rec.next(RecommendationContext(user: 1, session: session, catalog: catalog), using: &rng)
        #expect(catalog.trackIDs.contains(last.track))
    }

    @Test("same seed, same inputs: same tracks", arguments: names)
    func determinism(name: String) throws {
        let catalog = makeCatalog(count: 60, artists: 6)
        let inputs = try Self.inputs(trained: true, catalog: catalog)
        func run() throws -> [TrackID] {
            let rec = try Self.registry.make(name, inputs: inputs)
            var rng = SeededGenerator(seed: 99)
            var out: [TrackID] = []
            for user in Int64(0)..<4 {
                var session: [(track: TrackID, fraction: Float)] = [(TrackID(user * 7), 1)]
                for i in 0..<6 {
                    let r = rec.next(RecommendationContext(user: user, session: session, history: [(5, 1), (9, 0.5)], catalog: catalog), using: &rng)
                    out.append(r.track)
                    session.append((r.track, i % 2 == 0 ? 0.8 : 0.2))
                }
            }
            return out
        }
        #expect(try run() == run())
    }

    @Test("unknown user, empty history, empty session: a stated fallback", arguments: names, [false, true])
    func fallbacks(name: String, trained: Bool) throws {
        let catalog = makeCatalog(count: 30)
        let rec = try Self.registry.make(name, inputs: Self.inputs(trained: trained, catalog: catalog))
        var rng = SeededGenerator(seed: 1)
        for session in [[], [(track: TrackID(29), fraction: Float(0))]] {
            let context = RecommendationContext(user: 987_654, session: session, catalog: catalog)
            let r = rec.next(context, using: &rng)
            #expect(catalog.trackIDs.contains(r.track))
            // A course mirror may answer the track just skipped (its random fallback repeats).
            #expect(Self.mirrorsCourse(name) || !context.played(r.track))
            #expect(!r.reason.isEmpty)
        }
    }

    @Test("1- and 2-track catalogs", arguments: names)
    func tinyCatalogs(name: String) throws {
        for count in [1, 2] {
            let catalog = makeCatalog(count: count, artists: 1)
            let sessions = [ListeningSession(sessionID: 1, user: 1, tracks: Array(catalog.trackIDs), fractions: Array(repeating: 1, count: count))]
            for inputs in [StrategyInputs(catalog: catalog), try trainedInputs(catalog, sessions: sessions)] {
                let rec = try Self.registry.make(name, inputs: inputs)
                var rng = SeededGenerator(seed: 2)
                let r = rec.next(RecommendationContext(user: 1, session: [(0, 1)], catalog: catalog), using: &rng)
                if Self.mirrorsCourse(name) {
                    #expect(catalog.trackIDs.contains(r.track), "\(name) on \(count) tracks: \(r.reason)")
                } else {
                    #expect(r.track == (count == 1 ? 0 : 1), "\(name) on \(count) tracks: \(r.reason)")
                }
                let c = rec.candidates(RecommendationContext(user: 1, session: [(0, 1)], catalog: catalog), k: 5, using: &rng)
                #expect(c.count <= 1)
            }
        }
    }

    @Test("candidates: at most k, distinct, unplayed", arguments: names)
    func candidates(name: String) throws {
        let catalog = makeCatalog(count: 40, artists: 4)
        let rec = try Self.registry.make(name, inputs: Self.inputs(trained: true, catalog: catalog))
        var rng = SeededGenerator(seed: 4)
        let context = RecommendationContext(user: 3, session: [(0, 1), (3, 0.9), (6, 0.2)], history: [(9, 1)], catalog: catalog)
        let c = rec.candidates(context, k: 10, using: &rng)
        #expect(c.count == 10)
        #expect(Set(c.map(\.track)).count == c.count)
        #expect(c.allSatisfy { !context.played($0.track) })
    }

    /// The ranker asks its generators for candidates with `explains` false and reads only their
    /// tracks: the lists (and the generator's state after them) must not depend on it.
    @Test("candidates without reasons: the same tracks in the same order, the same generator state after", arguments: names)
    func quietCandidates(name: String) throws {
        let catalog = makeCatalog(count: 60, artists: 6)
        let rec = try Self.registry.make(name, inputs: Self.inputs(trained: true, catalog: catalog))
        var plays = SeededGenerator(seed: 21)
        for step in 0..<40 {
            let session = (0..<(1 + step % 12)).map { _ in (track: TrackID(plays.nextIndex(catalog.count)), fraction: Float(plays.nextUnit())) }
            let history = (0..<(step % 5) * 3).map { _ in (track: TrackID(plays.nextIndex(catalog.count)), fraction: Float(plays.nextUnit())) }
            var shown = RecommendationContext(user: Int64(step % 7), session: session, history: history, catalog: catalog)
            var quiet = shown
            shown.explains = true
            quiet.explains = false
            var a = SeededGenerator(seed: 500 + UInt64(step)), b = a
            let withReasons = rec.candidates(shown, k: 1 + step % 15, using: &a)
            let without = rec.candidates(quiet, k: 1 + step % 15, using: &b)
            #expect(withReasons.map(\.track) == without.map(\.track), "\(name) at step \(step)")
            #expect(a.next() == b.next(), "\(name) at step \(step): the generator drew differently")
        }
    }
}
