import Core
import Foundation
import PlayerWiring
import Recommenders
import Storage
import Terminal
import Testing
@testable import TUI

/// The player sees imported lists through the registry `botify play` builds
/// (`StrategyRegistry.registerLists`), like any other strategy.
@Suite struct ImportedListPlayerTests {
    @Test func anImportedListIsAStrategyOfThePlayer() throws {
        let db = try DatabaseWiringTests.temporaryDatabase()
        let catalog = fixtureCatalog()
        // Every track lists the next one, so the i2i list answers "the track after the last one".
        let lists = (0..<catalog.count).map { (key: Int64($0), tracks: [TrackID(($0 + 1) % catalog.count)]) }
        try db.saveRecommendationList(RecommendationList(name: "next-one", kind: .i2i, catalogFingerprint: catalog.fingerprint,
                                                         source: "next.jsonl", importedAt: 0, lists: lists), replacing: false)
        var registry = StrategyRegistry.standard
        try registry.registerLists(from: db, catalog: catalog)
        let strategies = RegistryStrategies(registry: registry, database: db, catalog: catalog)
        let info = try #require(strategies.strategies.first { $0.name == "next-one" })
        #expect(info.summary.contains("imported per-track lists served as the course's I2I (next.jsonl"))

        let terminal = HeadlessTerminal(width: 80, height: 24)
        let clock = ManualClock()
        let state = AppState(catalog: catalog, strategies: strategies, user: 5, source: .human,
                             size: terminal.size, seed: 3, now: clock.now(), strategy: "random")
        let app = PlayerApp(state: state, terminal: terminal, clock: clock, recorder: try DatabaseRecorder(database: db, catalog: catalog),
                            data: DatabasePlayerData(database: db))
        app.start()
        app.dispatch(.command(.strategy("next-one")))
        app.settle { $0.preparing.isEmpty }
        app.dispatch(.command(.search("bohemian")))
        app.dispatch(.command(.select))
        let first = try #require(app.state.session?.current).track
        clock.advance(by: 400 / defaultPlaybackSpeed)  // heard to the end
        app.step(key: nil)
        let next = try #require(app.state.session?.current)
        #expect(next.recommendedBy == "next-one" && next.track == TrackID((Int(first) + 1) % catalog.count), "\(next.reason)")
        #expect(next.reason.contains("next-one lists this #1 for"), "\(next.reason)")
        app.step(key: .char("q"))
    }
}
