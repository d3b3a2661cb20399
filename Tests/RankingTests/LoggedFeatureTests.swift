import Core
import Foundation
@testable import Ranking
import Recommenders
import Testing

/// Features logged at serving time (issue #17 item 2): what is logged is what serving
/// computed, and training from it is reproducible.
@Suite("ranker features logged at serving time")
struct LoggedFeatureTests {
    static let catalog = RankerTests.catalog

    /// Sessions of listeners who hear a track to the end when it is by the artist of the one
    /// before and skip it otherwise, served by `inner` wrapped in a feature log; the sessions
    /// and the rows logged for them.
    static func logRun(_ inner: any Recommender, log: ServingFeatureLog, sessions: Int, seed: UInt64 = 8)
        -> (sessions: [ListeningSession], rows: LoggedRankerRows) {
        let served = FeatureLoggingRecommender(inner, log: log)
        var history: [Int64: [(track: TrackID, fraction: Float)]] = [:]
        var out: [ListeningSession] = []
        var rows: [LoggedRankerRows.Row] = []
        for s in 0..<sessions {
            let user = Int64(s % 40)
            var rng = SeededGenerator(seed: seed, stream: UInt64(s))
            var context = RecommendationContext(user: user, session: [(TrackID(rng.nextIndex(catalog.count)), 1)],
                                                history: history[user] ?? [], catalog: catalog)
            for _ in 1..<8 {
                let pick = served.next(context, using: &rng).track
                let fraction: Float = catalog.artist(pick) == catalog.artist(context.session.last!.track) ? 0.95 : 0.05
                context.session.append((pick, fraction))
            }
            served.sessionEnded(context)
            let id = Int64(s + 1)
            let vectors = log.take(user: user) ?? []
            rows += vectors.map { LoggedRankerRows.Row(sessionID: id, position: $0.position, values: $0.values) }
            out.append(ListeningSession(sessionID: id, user: user, tracks: context.session.map(\.track),
                                        fractions: context.session.map(\.fraction)))
            history[user] = Array(((history[user] ?? []) + context.session).suffix(50))
        }
        return (out, LoggedRankerRows(featureSet: log.ranker.featureSet, rows: rows))
    }

    static func bits(_ v: [Float]) -> [UInt32] { v.map(\.bitPattern) }

    @Test("the logged vector is the row the ranker scored for its pick; logging changes no pick")
    func loggedEqualsServed() throws {
        let ranker = try RankerTests.ranker(try RankerTests.trained(), config: RankerConfig(exploration: 0.3))
        let log = ServingFeatureLog(ranker: ranker)
        let served = FeatureLoggingRecommender(ranker, log: log)
        var session: [(track: TrackID, fraction: Float)] = [(5, 1)]
        var rng = SeededGenerator(seed: 21)
        var checked = 0, exploring = 0
        while session.count < 30 {
            let context = RecommendationContext(user: 3, session: session, history: [(40, 1), (41, 0.2)], catalog: Self.catalog)
            var plain = rng, scoring = rng
            let pick = served.next(context, using: &rng)
            #expect(pick == ranker.next(context, using: &plain), "logging changed the pick")
            // What the ranker computed while serving: its scored union and feature rows.
            let (scored, matrix) = ranker.scored(context, using: &scoring)
            let row = try #require(scored.first { $0.entry.track == pick.track }).row
            log.end(user: 3)
            let logged = try #require(log.take(user: 3))
            #expect(logged.map(\.position) == [Int32(session.count)])
            #expect(Self.bits(logged[0].values) == Self.bits(matrix.row(row)), "position \(session.count)")
            if pick.reason.hasPrefix("exploring") { exploring += 1 }
            checked += 1
            session.append((pick.track, session.count % 3 == 0 ? 0.1 : 1))
        }
        #expect(checked == 29 && exploring > 0, "exploring picks are logged too (\(exploring))")
    }

    @Test("another strategy's pick gets the ranker's features for it, from a stream of its own")
    func otherStrategies() throws {
        let ranker = try RankerTests.ranker(nil)
        let log = ServingFeatureLog(ranker: ranker)
        let inner = FreshRandomRecommender()
        let served = FeatureLoggingRecommender(inner, log: log)
        let context = RecommendationContext(user: 9, session: [(12, 1), (24, 0.9)], catalog: Self.catalog)
        var rng = SeededGenerator(seed: 4)
        var plain = rng
        let pick = served.next(context, using: &rng)
        #expect(pick == inner.next(context, using: &plain) && rng.next() == plain.next(), "logging drew from the strategy's stream")
        served.sessionEnded(context)
        let logged = try #require(log.take(user: 9))
        var own = SeededGenerator(seed: FeatureLoggingRecommender.streamSeed, stream: 9, 0, 12, 2)
        #expect(Self.bits(logged[0].values) == Self.bits(ranker.featureRow(for: pick.track, in: context, using: &own)))
        #expect(logged[0].values.count == ranker.features.names.count)
        #expect(log.take(user: 9) == nil && log.waiting == 0)
    }

    @Test("training from logged vectors learns the planted signal, is the same for a fixed seed and thread count, and serves with the set that logged them")
    func trainingFromLogged() throws {
        let explorer = try RankerTests.ranker(nil, config: RankerConfig(exploration: 0.5))
        let log = ServingFeatureLog(ranker: explorer)
        let (sessions, rows) = Self.logRun(explorer, log: log, sessions: 300)
        #expect(rows.rows.count == 300 * 7)
        func train(threads: Int, seed: UInt64 = 9) throws -> TrainedModel {
            var trainer = RankerTrainer(boost: RankerTests.boost)
            trainer.logged = rows
            return try trainer.train(sessions, catalog: Self.catalog, options: TrainingOptions(seed: seed, threads: threads))
        }
        let a = try train(threads: 2), b = try train(threads: 2), one = try train(threads: 1)
        #expect(a.payload == b.payload && a.loss == b.loss, "two runs with seed 9 and 2 threads differ")
        #expect(a.payload == one.payload, "1 and 2 threads differ")
        #expect(a.parameters["logged features"] == 1 && a.parameters["rows"] == Double(rows.rows.count))

        let ranker = try RankerTests.ranker(a)
        #expect(ranker.featureSet.encoded() == log.featureSet, "serving computes with other generators than logging did")
        let context = RecommendationContext(user: 1, session: [(5, 1), (17, 1)], catalog: Self.catalog)
        var rng = SeededGenerator(seed: 1)
        let (scored, _) = ranker.scored(context, using: &rng)
        let same = scored.filter { Self.catalog.artist($0.entry.track) == 5 }.map(\.score)
        let other = scored.filter { Self.catalog.artist($0.entry.track) != 5 }.map(\.score)
        #expect(!same.isEmpty && !other.isEmpty)
        let meanSame = same.reduce(0, +) / Float(same.count), meanOther = other.reduce(0, +) / Float(other.count)
        #expect(meanSame > meanOther + 0.3, "same artist \(meanSame), other \(meanOther)")
    }

    @Test("rows of plays outside the sessions read are left out; none left is refused")
    func refusals() throws {
        let explorer = try RankerTests.ranker(nil)
        let (sessions, rows) = Self.logRun(explorer, log: ServingFeatureLog(ranker: explorer), sessions: 20)
        var trainer = RankerTrainer(boost: RankerTests.boost)
        trainer.logged = rows
        let half = try trainer.train(Array(sessions.prefix(10)), catalog: Self.catalog, options: TrainingOptions(threads: 1))
        #expect(half.parameters["rows"] == 70)
        #expect(throws: InputError.self) {
            try trainer.train([ListeningSession(sessionID: 999, user: 1, tracks: [1, 2], fractions: [1, 1])],
                              catalog: Self.catalog, options: TrainingOptions(threads: 1))
        }
    }
}
