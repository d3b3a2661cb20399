import Core
import Testing
@testable import Recommenders

@Suite("Offline evaluation")
struct OfflineEvaluationTests {
    @Test("holdout splits: each listener's last session, or the newest share")
    func splits() {
        let s = (1...6).map { ListeningSession(sessionID: Int64($0), user: Int64($0 % 2), tracks: [0], fractions: [1]) }
        let last = OfflineEvaluation.split(s, holdout: .lastSession)
        #expect(last.test.map(\.sessionID) == [5, 6])
        let ratio = OfflineEvaluation.split(s, holdout: .ratio(0.5))
        #expect(ratio.train.map(\.sessionID) == [1, 2, 3] && ratio.test.map(\.sessionID) == [4, 5, 6])
    }

    @Test("collaborative strategies beat random on a log with learnable groups")
    func ranking() throws {
        let catalog = makeCatalog(count: 200, artists: 20)
        let sessions = groupedSessions(catalog: catalog, groups: 4, sessions: 400)
        var eval = OfflineEvaluation(options: TrainingOptions(factors: 8, iterations: 5, threads: 1))
        eval.k = 10
        let results = try eval.evaluate(["random", "i2i", "als"], catalog: catalog, sessions: sessions, holdout: .lastSession)
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.strategy, $0) })
        let random = try #require(byName["random"]), i2i = try #require(byName["i2i"]), als = try #require(byName["als"])
        #expect(random.events > 100 && random.events == als.events)
        #expect(i2i.hitRate > 2 * random.hitRate, "\(results)")
        #expect(als.hitRate > 2 * random.hitRate, "\(results)")
        #expect(random.coverage > als.coverage)
        #expect(results.allSatisfy { $0.ndcg <= $0.hitRate && $0.novelty > 0 })
    }

    @Test("nothing held out, or an unknown strategy: InputError")
    func errors() {
        let catalog = makeCatalog(count: 10)
        let one = [ListeningSession(sessionID: 1, user: 1, tracks: [0, 1], fractions: [1, 1])]
        #expect(throws: InputError.self) { try OfflineEvaluation().evaluate(["random"], catalog: catalog, sessions: one, holdout: .lastSession) }
        let two = one + [ListeningSession(sessionID: 2, user: 1, tracks: [2, 3], fractions: [1, 1])]
        #expect(throws: InputError.self) { try OfflineEvaluation().evaluate(["bogus"], catalog: catalog, sessions: two, holdout: .lastSession) }
    }
}
