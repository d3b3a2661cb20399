import Core
import Experiments
import Foundation
import PlayerWiring
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

    /// A started player of user 5 (human) on a fresh database, its strategy ready.
    static func player(strategy: String, width: Int, height: Int) throws
        -> (db: BotifyDatabase, app: PlayerApp, clock: ManualClock, catalog: Catalog)
    {
        let db = try temporaryDatabase()
        let catalog = fixtureCatalog()
        let strategies = RegistryStrategies(registry: .standard, database: db, catalog: catalog)
        let terminal = HeadlessTerminal(width: width, height: height)
        let clock = ManualClock()
        let state = AppState(catalog: catalog, strategies: strategies, user: 5, source: .human,
                             size: terminal.size, seed: 3, now: clock.now(), strategy: strategy)
        let app = PlayerApp(state: state, terminal: terminal, clock: clock, recorder: try DatabaseRecorder(database: db, catalog: catalog),
                            data: DatabasePlayerData(database: db))
        app.start()
        app.settle { $0.preparing.isEmpty }
        return (db, app, clock, catalog)
    }

    @Test func playsAreCommittedAsTheyEndAndReadBack() throws {
        let (db, app, clock, catalog) = try Self.player(strategy: "sticky-artist", width: 80, height: 24)
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
        // Each play's reason as Now Playing said it: the listener's pick, then the strategy's why-text.
        #expect(history[0].reasons[0] == "your pick")
        #expect(history[0].reasons[1] == next.reason && !next.reason.isEmpty)
        #expect(history[0].reasons.count == 3)
        let stats = try DatabasePlayerData(database: db).stats(source: .human, baseline: nil)
        #expect(stats.strategies.map(\.strategy) == ["sticky-artist"] && stats.strategies[0].sessions == 1)
        #expect(try DatabasePlayerData(database: db).stats(source: .bot, baseline: nil).strategies.isEmpty)
    }

    /// docs/STATISTICS.md §"Live switches": a play belongs to the strategy that chose it; a session
    /// whose plays two strategies chose is left out of session lengths (counted as mixed), and each
    /// strategy's heard-per-recommendation counts its own plays in it.
    @Test func aLiveSwitchIsCreditedPlayByPlay() throws {
        let (db, app, clock, _) = try Self.player(strategy: "random", width: 100, height: 30)
        app.dispatch(.command(.search("bohemian")))
        app.dispatch(.command(.select))
        for _ in 0..<4 { app.step(key: .char("n")) }  // four plays chosen by random, skipped at once
        app.dispatch(.command(.strategy("sticky-artist")))
        app.settle { $0.preparing.isEmpty }
        for _ in 0..<3 { app.step(key: .char("n")) }
        app.dispatch(.command(.stop))
        // A second session, sticky-artist only.
        app.dispatch(.command(.search("bohemian")))
        app.dispatch(.command(.select))
        clock.advance(by: 400 / defaultPlaybackSpeed)
        app.step(key: nil)
        app.step(key: .char("n"))
        app.dispatch(.command(.stop))

        let plays = try db.sessions(limit: 5).reversed().map { try db.plays(session: $0.id).map { $0.recommendedBy ?? "-" } }
        #expect(plays.count == 2)
        #expect(Set(plays[0]) == ["-", "random", "sticky-artist"] && plays[1].allSatisfy { $0 != "random" })
        let snapshot = try DatabasePlayerData(database: db).stats(source: .human, baseline: "random")
        #expect(snapshot.mixedSessions == 1)
        let rows = Dictionary(uniqueKeysWithValues: snapshot.strategies.map { ($0.strategy, $0) })
        #expect(rows["sticky-artist"]?.sessions == 1 && rows["random"]?.sessions == 0)
        #expect(rows["random"]?.heardPerRecommendation == 0)  // every random pick was skipped at once

        var screen = app.state
        screen.screen = .stats
        apply(&screen, .statsLoaded(snapshot))
        assertSnapshot(AppView.render(screen), named: "stats-live-switch-100x30")

        let report = StatsReport(observational: try db.sessionSummaries(SessionFilter(source: .human)), title: "human",
                                 recommended: try db.recommendedPlays(SessionFilter(source: .human)))
        let json = try report.json()
        #expect(json.contains("\"mixedSessions\" : 1") && json.contains("\"design\" : \"observational\""))
        #expect(report.groups.first { $0.name == "random" }?.recommendations == 4)
    }

    /// A fresh database holding three ended sessions of 3 plays over `catalog`'s first tracks.
    static func databaseWithThreeSessions(_ catalog: Catalog) throws -> BotifyDatabase {
        let db = try temporaryDatabase()
        let recorder = try DatabaseRecorder(database: db, catalog: catalog)
        for (i, tracks) in [[0, 1, 2], [0, 1, 3], [4, 5, 6]].enumerated() {
            try recorder.beginSession(user: Int64(i), strategy: "random", source: .sim, startedAt: Double(i))
            for (p, t) in tracks.enumerated() {
                try recorder.record(Play(position: Int32(p), track: TrackID(t), fraction: 1, outcome: .listened, recommendedBy: nil), reason: nil)
            }
            try recorder.endSession(endedAt: Double(i) + 1)
        }
        return db
    }

    @Test func retrainingStoresAModelThatTheStrategyThenUses() throws {
        let catalog = fixtureCatalog()
        let db = try Self.databaseWithThreeSessions(catalog)
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

/// History against a real database with more sessions than the old 200-session cap.
@Suite struct DatabaseHistoryTests {
    @Test func bottomOnHistoryReachesTheOldestOfMoreThanTwoHundredSessions() throws {
        let (db, app, _, _) = try DatabaseWiringTests.player(strategy: "random", width: 80, height: 24)
        let writer = BatchSessionWriter(database: db, catalogFingerprint: fixtureCatalog().fingerprint)
        for i in 0..<450 {
            try writer.append(SessionLog(user: Int64(i % 7), strategy: i % 2 == 0 ? "random" : "top-pop", source: .sim,
                                         startedAt: 1_700_000_000 + Double(i), endedAt: 1_700_000_100 + Double(i), plays: [
                Play(position: 0, track: 0, fraction: 1, outcome: .listened, recommendedBy: nil),
                Play(position: 1, track: 1, fraction: 0.25, outcome: .skipped, recommendedBy: i % 2 == 0 ? "random" : "top-pop"),
            ]))
        }
        try writer.close()
        let oldest = try #require(try db.sessions(limit: 1_000).last?.id)
        app.dispatch(.command(.screen(.history)))
        app.settle { $0.history.count >= 50 }
        #expect(app.state.history.count == 50 && app.state.historyTotal == 450)
        app.dispatch(.command(.bottom))
        app.settle { $0.history.count == 450 && !$0.historyWantsOldest }
        #expect(app.state.history.count == 450 && app.state.history[app.state.historyCursor].id == oldest)
        let screen = app.state.history.isEmpty ? "" : AppView.render(app.state).lines.joined(separator: "\n")
        #expect(screen.contains("450 / 450"))
        #expect(screen.contains("random") && screen.contains("you"))
        // A session the player ends while History is on screen shows up without reopening it.
        app.dispatch(.command(.screen(.library)))
        app.dispatch(.command(.select))
        app.dispatch(.command(.screen(.history)))
        app.settle { $0.historyTotal == 451 }
        app.dispatch(.command(.stop))
        app.settle { $0.history.first?.plays.count == 1 && $0.historyTotal == 451 }
        #expect(app.state.history.count == 451 && app.state.history.first?.plays.first?.recommendedBy == nil)
        #expect(app.state.history[app.state.historyCursor].id == oldest)
    }
}
