import Core
import Foundation
import Testing
@testable import Storage

/// `ranker_feature_sets` / `ranker_features` (migration v9): vectors come back bit for bit,
/// keyed by their play, and go with it.
@Suite struct RankerFeatureStoreTests {
    static func logged(_ db: BotifyDatabase, sessions: Int, experiment: String? = nil) throws -> ClosedRange<Int64> {
        let writer = BatchSessionWriter(database: db, catalogFingerprint: "fp", batchPlays: 5_000)
        for u in 0..<sessions { try writer.append(sampleLog(user: Int64(u), plays: 4, experiment: experiment, arm: experiment == nil ? nil : "a")) }
        try writer.close()
        let ids = try db.read { try Int64.fetchAll($0, sql: "SELECT id FROM sessions ORDER BY id") }
        return ids.first!...ids.last!
    }

    @Test func vectorsRoundTripBitForBitUnderTheirSet() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let ids = try Self.logged(db, sessions: 2)
        let store = db.rankerFeatures
        let set = try store.register(payload: [1, 2, 3], columns: 3, catalogFingerprint: "fp", at: 1)
        #expect(try store.register(payload: [1, 2, 3], columns: 3, catalogFingerprint: "fp", at: 2) == set, "a set is stored once")
        let rows = [
            LoggedFeatureRow(sessionID: ids.lowerBound, position: 1, values: [.nan, -0.0, 3.5]),
            LoggedFeatureRow(sessionID: ids.lowerBound, position: 2, values: [1e-30, .infinity, 42]),
            LoggedFeatureRow(sessionID: ids.upperBound, position: 3, values: [0, 1, 2]),
        ]
        try store.write(rows, set: set)
        let sets = try store.sets(catalogFingerprint: "fp")
        #expect(sets.count == 1 && sets[0].rows == 3 && sets[0].payload == [1, 2, 3] && sets[0].columns == 3)
        #expect(try store.sets(catalogFingerprint: "other").isEmpty)
        let back = try store.rows(set: sets[0])
        #expect(back.map(\.sessionID) == rows.map(\.sessionID) && back.map(\.position) == rows.map(\.position))
        #expect(back.map { $0.values.map(\.bitPattern) } == rows.map { $0.values.map(\.bitPattern) })
        let raw = try RawDatabase(dir.file("db.sqlite"))
        #expect(try raw.int("SELECT length(features) FROM ranker_features LIMIT 1") == 12, "three little-endian Float32")
    }

    @Test func aRowOfTheWrongWidthOrForNoPlayIsRefusedWhole() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let ids = try Self.logged(db, sessions: 1)
        let store = db.rankerFeatures
        let set = try store.register(payload: [9], columns: 2, catalogFingerprint: "fp", at: 1)
        #expect(throws: InputError.self) {
            try store.write([LoggedFeatureRow(sessionID: ids.lowerBound, position: 1, values: [1, 2]),
                             LoggedFeatureRow(sessionID: ids.lowerBound, position: 2, values: [1])], set: set)
        }
        #expect(throws: (any Error).self) {
            try store.write([LoggedFeatureRow(sessionID: ids.lowerBound + 99, position: 1, values: [1, 2])], set: set)
        }
        #expect(try store.sets(catalogFingerprint: "fp")[0].rows == 0, "nothing of a refused write is kept")
        let raw = try RawDatabase(dir.file("db.sqlite"))
        try raw.execute("INSERT INTO ranker_features VALUES (\(ids.lowerBound), 1, \(set), X'0000')")
        #expect(throws: InputError.self) { try store.rows(set: store.sets(catalogFingerprint: "fp")[0]) }
    }

    @Test func replacingAnExperimentDeletesItsVectors() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let ids = try Self.logged(db, sessions: 2, experiment: "e")
        let store = db.rankerFeatures
        let set = try store.register(payload: [7], columns: 1, catalogFingerprint: "fp", at: 1)
        try store.write([LoggedFeatureRow(sessionID: ids.lowerBound, position: 1, values: [1])], set: set)
        try db.experiments.delete("e")
        #expect(try store.sets(catalogFingerprint: "fp")[0].rows == 0)
    }
}
