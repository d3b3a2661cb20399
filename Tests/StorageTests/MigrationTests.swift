import Core
import Foundation
import GRDB
import Testing
@testable import Storage

/// A database written by an earlier botify opens, migrates, and reads exactly as before.
@Suite struct MigrationTests {
    @Test func v1PlaysReadTheSameThroughTheV2View() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("v1.sqlite")
        let queue = try DatabaseQueue(path: path)
        var v1 = DatabaseMigrator()
        let (identifier, sql) = Schema.migrations[0]
        v1.registerMigration(identifier) { db in
            try db.execute(sql: sql)
            try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        try v1.migrate(queue)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, created_at) VALUES (7, 0);
                INSERT INTO sessions (id, user_id, strategy, source, started_at, updated_at, ended_at, end_reason, length, plays, skips)
                    VALUES (1, 7, 'i2i', 'sim', 0, 1, 1, 'finished', 1.37, 3, 2),
                           (2, 7, 'random', 'human', 2, 3, 3, 'finished', 0.5, 1, 1);
                INSERT INTO plays VALUES (1, 0, 10, 1.0, 'listened', NULL, 0),
                                         (1, 1, 11, 0.37, 'skipped', 'i2i', 12.345),
                                         (1, 2, 12, 0.0, 'abandoned', 'top-pop', 3.5),
                                         (2, 0, 13, 0.5, 'skipped', NULL, 0);
                """)
        }
        try queue.close()

        let db = try BotifyDatabase(path: path)
        let raw = try RawDatabase(path)
        #expect(try raw.int("PRAGMA user_version") == Schema.version)
        let rows = try raw.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM plays ORDER BY session_id, position").map { row in
                Array(row.databaseValues.map(\.description))
            }
        }
        #expect(rows == [
            ["1", "0", "10", "1.0", "\"listened\"", "NULL", "0.0", "0"],
            ["1", "1", "11", "0.37", "\"skipped\"", "\"i2i\"", "12.345", "0"],
            ["1", "2", "12", "0.0", "\"abandoned\"", "\"top-pop\"", "3.5", "0"],
            ["2", "0", "13", "0.5", "\"skipped\"", "NULL", "0.0", "0"],
        ])
        #expect(try db.plays(session: 1).map(\.outcome) == [.listened, .skipped, .abandoned])
        #expect(try db.recentHistory(user: 7, limit: 10).map(\.track) == [13])
        #expect(try db.integrityCheck() == "ok")
    }
}
