import Core
import Foundation
import PlayerWiring
import Recommenders
import Storage
import Terminal
import Testing
@testable import TUI

/// A stored model that cannot be read: the player keeps playing on the untrained strategy and
/// its model status says so (not "trained"); retraining replaces it.
@Suite struct BadModelTests {
    @Test func anUnreadableModelIsShownAsSuchAndRetrainingFixesIt() throws {
        let catalog = fixtureCatalog()
        let db = try DatabaseWiringTests.databaseWithThreeSessions(catalog)
        let id = try db.models.save(ModelRecord(strategy: "i2i", catalogFingerprint: catalog.fingerprint, params: "{}",
                                                sessionRange: 1...3, trainedAt: Date().timeIntervalSince1970 - 60,
                                                trainingSeconds: 0.1, blob: Data([0, 1, 2, 3])))
        let strategies = RegistryStrategies(registry: .standard, database: db, catalog: catalog)
        let state = AppState(catalog: catalog, strategies: strategies, user: 5, source: .human,
                             size: TerminalSize(width: 100, height: 30), seed: 3, now: 0)
        for name in ["i2i", "i2i-fresh"] {
            let status = try #require(state.modelStatus[name])
            #expect(status.hasPrefix("model #\(id) cannot be read (") && status.hasSuffix("): uses its fallback (r retrains)"), "\(status)")
            #expect(strategies.recommender(named: name) != nil, "the untrained strategy still plays")
        }
        #expect(state.modelStatus["random"] == "no model needed")

        _ = try strategies.retrain("i2i") { _ in }
        #expect(strategies.modelStatus("i2i").hasPrefix("trained "))
        #expect(strategies.modelStatus("i2i-fresh").hasPrefix("trained "))
    }
}
