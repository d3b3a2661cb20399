import Core
import Foundation
import Recommenders
import Storage
import Terminal
import Testing
@testable import TUI

/// The player against a real database: plays committed as they end, history and stats read
/// back, a strategy retrained from what was logged.
@Suite struct DatabaseWiringTests {
    static func temporaryDatabase() throws -> BotifyDatabase {
        try BotifyDatabase(path: FileManager.default.temporaryDirectory.appendingPathComponent("botify-tui-\(UUID().uuidString).sqlite").path)
    }

    @Test func playsAreCommittedAsTheyEndAndReadBack() throws {
        let db = try Self.temporaryDatabase()
        let catalog = fixtureCatalog()
        let strategies = RegistryStrategies(registry: .standard, database: db, catalog: catalog)
        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let state = AppState(catalog: catalog, strategies: strategies, user: 5, source: .human,
                             size: terminal.size, seed: 3, now: clock.now(), strategy: "sticky-artist")
        let app = PlayerApp(state: state, terminal: terminal, clock: clock, recorder: try DatabaseRecorder(database: db, catalog: catalog),
                            data: DatabasePlayerData(database: db))
        app.start()
        app.settle { $0.preparing.isEmpty }
        app.dispatch(.command(.search("bohemian")))
        app.dispatch(.command(.select))
        clock.advance(by: 400 / defaultPlaybackSpeed)  // Bohemian Rhapsody (5:54) heard to the end
        app.step(key: nil)
        let open = try #require(try db.sessions(limit: 1).first)
        #expect(open.endedAt == nil && open.plays == 1)
        #expect(try db.plays(session: open.id).first?.outcome == .listened)
        let next = try #require(app.state.session?.current)
        #expect(catalog.artistName(next.track) == "Queen" && next.recommendedBy == "sticky-artist")
        app.step(key: .char("l"))  // liked while it plays: stored with the play
        app.step(key: .char("n"))
        app.step(key: .char("q"))
        let history = try DatabasePlayerData(database: db).history(limit: 10)
        #expect(history.count == 1 && history[0].plays.map(\.outcome) == [.listened, .skipped, .abandoned])
        #expect(history[0].plays.map(\.liked) == [false, true, false])
        let stats = try DatabasePlayerData(database: db).stats(source: .human)
        #expect(stats.strategies.map(\.strategy) == ["sticky-artist"] && stats.strategies[0].sessions == 1)
        #expect(try DatabasePlayerData(database: db).stats(source: .bot).strategies.isEmpty)
    }

    @Test func retrainingStoresAModelThatTheStrategyThenUses() throws {
        let db = try Self.temporaryDatabase()
        let catalog = fixtureCatalog()
        let recorder = try DatabaseRecorder(database: db, catalog: catalog)
        for (i, tracks) in [[0, 1, 2], [0, 1, 3], [4, 5, 6]].enumerated() {
            try recorder.beginSession(user: Int64(i), strategy: "random", source: .sim, startedAt: Double(i))
            for (p, t) in tracks.enumerated() {
                try recorder.record(Play(position: Int32(p), track: TrackID(t), fraction: 1, outcome: .listened, recommendedBy: nil))
            }
            try recorder.endSession(endedAt: Double(i) + 1)
        }
        let strategies = RegistryStrategies(registry: .standard, database: db, catalog: catalog)
        #expect(strategies.modelStatus("i2i").hasPrefix("not trained"))
        #expect(strategies.modelStatus("random") == "no model needed")
        let progress = ProgressLog()
        let status = try strategies.retrain("i2i") { progress.add($0) }
        #expect(status.hasPrefix("trained on 3 sessions, 9 plays"))
        #expect(progress.values.last == 1)
        #expect(strategies.modelStatus("i2i").hasPrefix("trained "))
        #expect(strategies.recommender(named: "i2i") != nil && strategies.recommender(named: "nope") == nil)
        // i2i-fresh reads i2i's model: trained too, and it serves co-listened tracks.
        #expect(strategies.modelStatus("i2i-fresh").hasPrefix("trained "))
        #expect(strategies.strategies.first { $0.name == "i2i-fresh" }?.trainable == true)
        let fresh = try #require(strategies.recommender(named: "i2i-fresh"))
        var rng = SeededGenerator(seed: 1)
        let pick = fresh.next(RecommendationContext(user: 9, session: [(4, 1)], catalog: catalog), using: &rng)
        #expect([5, 6].contains(pick.track) && pick.reason.hasPrefix("people who played"), "\(pick.reason)")
        // Retraining i2i-fresh retrains the model it shares.
        #expect(try strategies.retrain("i2i-fresh") { _ in }.hasPrefix("trained on 3 sessions"))
        #expect(try db.models.status().filter { $0.strategy == "i2i" }.count >= 1)
        #expect(try db.models.status().allSatisfy { $0.strategy != "i2i-fresh" })
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [Double] = []
    func add(_ v: Double) { lock.withLock { log.append(v) } }
    var values: [Double] { lock.withLock { log } }
}
