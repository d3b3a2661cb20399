import Core
import Foundation
import Testing
@testable import Storage

@Suite struct DatabaseOpeningTests {
    @Test func locationFollowsFlagThenEnvironmentThenXDGThenHome() {
        let env = ["BOTIFY_DB": "/e/b.sqlite", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]
        #expect(DatabaseLocation.resolve(flag: "/f.sqlite", environment: env) == "/f.sqlite")
        #expect(DatabaseLocation.resolve(flag: nil, environment: env) == "/e/b.sqlite")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["BOTIFY_DB": "", "XDG_DATA_HOME": "/xdg"])
                == "/xdg/botify/botify.sqlite")
        #expect(DatabaseLocation.resolve(flag: nil, environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
                == "/home/u/.local/share/botify/botify.sqlite")
        #expect(DatabaseLocation.resolve(flag: "~/x.sqlite", environment: ["HOME": "/home/u"]) == "/home/u/x.sqlite")
    }

    @Test func createsMissingDirectoriesAndMigratesInWALMode() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("a/b/botify.sqlite")
        let db = try BotifyDatabase(path: path)
        #expect(try db.integrityCheck() == "ok")
        let raw = try RawDatabase(path)
        #expect(try raw.int("PRAGMA user_version") == Schema.version)
        #expect(try raw.string("PRAGMA journal_mode") == "wal")
        #expect(try raw.int("PRAGMA application_id") == Int(Schema.applicationID))
        _ = try BotifyDatabase(path: path)  // reopening an up-to-date file is fine
    }

    @Test func unwritablePathIsBadInput() throws {
        let dir = TemporaryDirectory()
        let blocker = dir.file("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/sub/botify.sqlite"
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(error?.file == path)
        #expect(try fileBytes(blocker) == Data("x".utf8))
    }

    @Test func directoryIsBadInput() throws {
        let dir = TemporaryDirectory()
        #expect(throws: InputError.self) { try BotifyDatabase(path: dir.path) }
    }

    @Test func fileThatIsNotSQLiteIsRefusedUntouched() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("notes.sqlite")
        let bytes = Data(String(repeating: "not a database\n", count: 100).utf8)
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(error?.description.contains("not an SQLite database") == true)
        #expect(try fileBytes(path) == bytes)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func otherApplicationsDatabaseIsRefusedUntouched() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("other.sqlite")
        try RawDatabase(path).execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        let before = try fileBytes(path)
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(error?.description.contains("not a botify database") == true)
        #expect(try fileBytes(path) == before)
    }

    @Test func newerSchemaVersionIsRefusedUntouched() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("future.sqlite")
        do { _ = try BotifyDatabase(path: path) }
        let raw = try RawDatabase(path)
        try raw.execute("PRAGMA user_version = \(Schema.version + 1)")
        try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try fileBytes(path)
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(error?.field == "schema version")
        #expect(try fileBytes(path) == before)
        #expect(try raw.int("PRAGMA user_version") == Schema.version + 1)
    }

    @Test func unknownMigrationIsRefusedUntouched() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("future.sqlite")
        do { _ = try BotifyDatabase(path: path) }
        let raw = try RawDatabase(path)
        try raw.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try fileBytes(path)
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(error?.value == "v99-from-the-future")
        #expect(try fileBytes(path) == before)
    }

    @Test func emptyFileBecomesADatabase() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let db = try BotifyDatabase(path: path)
        #expect(try db.sessionSummaries().isEmpty)
    }

    @Test func twoPoolsMigrateOneFreshFileAtOnce() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("race.sqlite")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try BotifyDatabase(path: path) } }
            try await group.waitForAll()
        }
        #expect(try RawDatabase(path).int("SELECT count(*) FROM grdb_migrations") == Schema.migrations.count)
    }
}
