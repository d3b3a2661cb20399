import Foundation
import Testing

/// A `--db` that botify must not use: every command that opens the database exits 2 with one
/// line naming the file, and leaves the file exactly as it was.
@Suite struct BadDatabaseCLITests {
    static let commands: [[String]] = [
        ["stats"],
        ["export", "plays"],
        ["simulate", "--users", "2", "--sessions", "1", "--threads", "1", "--catalog", smallCatalog],
    ]

    /// `readersSay`: what read-only commands (stats, export) say instead, when the file does not exist.
    func expectRefused(_ db: String, saying message: String, readersSay: String? = nil, untouched file: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        for command in Self.commands {
            let message = ["stats", "export"].contains(command[0]) ? readersSay ?? message : message
            let r = try runBotify(command + ["--db", db])
            #expect(r.status == 2, "\(command): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(command): \(r.stderr)")
            #expect(r.stderr.contains(db) && r.stderr.contains(message), "\(command): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(command): \(r.stdout)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == bytes, "\(command) changed \(file)")
            #expect(!FileManager.default.fileExists(atPath: file + "-wal"), "\(command)")
        }
    }

    @Test func fileThatIsNotSQLite() throws {
        let db = scratchDirectory("bad-db") + "/notes.sqlite"
        try Data(String(repeating: "just some notes\n", count: 64).utf8).write(to: URL(fileURLWithPath: db))
        try expectRefused(db, saying: "is not an SQLite database", untouched: db)
    }

    @Test func databaseFromANewerBotify() throws {
        let db = scratchDirectory("bad-db") + "/future.sqlite"
        let created = try runBotify(["simulate", "--users", "2", "--sessions", "1", "--threads", "1", "--catalog", smallCatalog,
                                     "--db", db])
        #expect(created.status == 0, "\(created.stderr)")
        _ = try sqlite(db, "PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE)")
        try expectRefused(db, saying: "newer botify", untouched: db)
        #expect(try sqlite(db, "PRAGMA user_version") == "999")
    }

    @Test func statsOnAMissingFileCreatesNothing() throws {
        let db = scratchDirectory("bad-db") + "/typo.sqlite"
        let r = try runBotify(["stats", "--db", db])
        #expect(r.status == 2 && r.stderr.contains(db) && r.stderr.contains("no such database"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func exportTrainEvalOnAMissingFileCreateNothing() throws {
        let db = scratchDirectory("bad-db") + "/typo.sqlite"
        for command in [["export", "plays"], ["export", "sessions", "--format", "jsonl"], ["train", "i2i"],
                        ["eval", "--strategies", "random"]] {
            let catalog = command[0] == "export" ? [] : ["--catalog", smallCatalog]
            let r = try runBotify(command + ["--db", db] + catalog)
            #expect(r.status == 2 && r.stderr.contains(db) && r.stderr.contains("no such database"), "\(command): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty, "\(command): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(command) created \(db)")
        }
    }

    @Test func pathUnderARegularFile() throws {
        // chmod cannot make a path unwritable for root; a regular file in the way always does.
        let blocker = scratchDirectory("bad-db") + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        try expectRefused(blocker + "/sub/botify.sqlite", saying: "cannot create the database",
                          readersSay: "no such database", untouched: blocker)
    }
}
