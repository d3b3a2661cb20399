import Foundation
import Testing

/// `--no-log` and the world cache (issue #13, item 4): a run that logs nothing reads a matching
/// cached world from an existing database, opened read-only, and hears what a logged run hears;
/// it never creates, migrates or writes a file.
@Suite("--no-log reads the world cache")
struct NoLogCacheCLITests {
    /// The report table, without timing lines and the lines that say where sessions went.
    static func table(_ stdout: String) -> [Substring] {
        WorldCacheCLITests.table(stdout).filter { $0 != "not logged (--no-log)" }
    }

    /// The database file and its side files, byte for byte (nil: absent).
    static func files(_ db: String) -> [Data?] {
        ["", "-wal", "-shm"].map { FileManager.default.contents(atPath: db + $0) }
    }

    @Test("a generated world: --no-log loads the cached world, hears the logged run's sessions, leaves the files as they were")
    func generatedWorld() throws {
        let dir = scratchDirectory("nolog-cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/botify.sqlite"
        let args = ["simulate", "--users", "60", "--sessions", "2", "--seed", "3", "--catalog", smallCatalog, "--db", db]
        let logged = try runBotify(args)
        #expect(logged.status == 0 && logged.stdout.contains(" and cached"), "\(logged.stderr)")
        let before = Self.files(db)
        #expect(before[0] != nil)

        let noLog = try runBotify(args + ["--no-log"])
        #expect(noLog.status == 0, "\(noLog.stderr)")
        #expect(noLog.stdout.contains("; world loaded from cache in ") && noLog.stdout.contains("not logged (--no-log)"),
                "\(noLog.stdout)")
        #expect(!Self.table(logged.stdout).isEmpty && Self.table(noLog.stdout) == Self.table(logged.stdout))
        #expect(Self.files(db) == before, "the --no-log run changed the database or its -wal/-shm")

        // A fresh world (no database at all) gives the same sessions.
        let fresh = try runBotify(Array(args.dropLast()) + [dir + "/absent.sqlite", "--no-log"])
        #expect(fresh.stdout.contains("; world generated in ") && Self.table(fresh.stdout) == Self.table(logged.stdout),
                "\(fresh.stdout)")

        // ab reads the same entry; another world seed misses it and computes in memory, storing nothing.
        let ab = try runBotify(["ab", "--experiment", "e", "--arms", "random,sticky-artist", "--users", "60", "--sessions", "2",
                                "--catalog", smallCatalog, "--db", db, "--no-log"])
        #expect(ab.status == 0 && ab.stdout.contains("world loaded from cache in "), "\(ab.stdout)\(ab.stderr)")
        let other = try runBotify(args + ["--no-log", "--world-seed", "9"])
        #expect(other.status == 0 && other.stdout.contains("; world generated in ") && !other.stdout.contains("cached"),
                "\(other.stdout)")
        #expect(Self.files(db) == before)
        #expect(try sqlite(db, "SELECT count(*) FROM world_cache") == "1")

        // At rest (the sqlite3 shell, the last connection, checkpoints and removes -wal and -shm):
        // read without creating them.
        _ = try sqlite(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        let rest = Self.files(db)
        #expect(rest[1] == nil && rest[2] == nil, "the shell left side files")
        let atRest = try runBotify(args + ["--no-log"])
        #expect(atRest.stdout.contains("; world loaded from cache in ") && Self.table(atRest.stdout) == Self.table(logged.stdout),
                "\(atRest.stdout)")
        #expect(Self.files(db) == rest, "the --no-log run changed the database or created -wal/-shm")
    }

    @Test("an imported world: cached lists are reused; lists it lacks are computed for the run and not stored")
    func importedWorld() throws {
        let dir = scratchDirectory("nolog-cache-import")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let world = dir + "/world", db = dir + "/botify.sqlite"
        #expect(try runBotify(["world", "export", world, "--users", "40", "--catalog", smallCatalog]).status == 0)
        func run(_ users: Int, _ extra: [String] = []) throws -> BotifyResult {
            try runBotify(["simulate", "--world", world, "--users", String(users), "--sessions", "2", "--db", db] + extra)
        }
        let logged = try run(10)
        #expect(logged.status == 0, "\(logged.stderr)")
        let before = Self.files(db)
        let noLog = try run(10, ["--no-log"])
        #expect(noLog.stdout.contains("world: files read in ") && noLog.stdout.contains("neighbour lists loaded from cache in "),
                "\(noLog.stdout)")
        #expect(Self.table(noLog.stdout) == Self.table(logged.stdout))
        let more = try run(40, ["--no-log"])
        #expect(more.status == 0 && more.stdout.contains("interest tracks computed in ") && !more.stdout.contains("cached"),
                "\(more.stdout)")
        #expect(Self.files(db) == before)
    }

    @Test("no database: nothing is created; an older schema or a foreign file is not read and not touched")
    func nothingCreatedOrMigrated() throws {
        let dir = scratchDirectory("nolog-cache-none")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["simulate", "--users", "20", "--sessions", "1", "--catalog", smallCatalog, "--no-log", "--db"]

        let missing = dir + "/sub/botify.sqlite"
        let none = try runBotify(args + [missing])
        #expect(none.status == 0 && none.stdout.contains("world generated in ") && !none.stdout.contains("cache not read"),
                "\(none.stdout)\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/sub"), "--no-log created the database's directory")

        // A file written by a released botify before the world cache existed (schema v4).
        let old = dir + "/v4.sqlite"
        try FileManager.default.copyItem(atPath: repositoryRoot.appendingPathComponent("Tests/StorageTests/Fixtures/v4-33e0141.frozen-db").path,
                                         toPath: old)
        let oldBefore = Self.files(old)
        let fromOld = try runBotify(args + [old])
        #expect(fromOld.status == 0, "\(fromOld.stderr)")
        #expect(fromOld.stdout.contains("world generated in ")
                && fromOld.stdout.contains("cache not read: \(old): field 'schema version' value '4': older than this build's"),
                "\(fromOld.stdout)")
        #expect(Self.files(old) == oldBefore, "the v4 database was modified")
        #expect(try sqlite(old, "PRAGMA user_version") == "4")

        let foreign = dir + "/notes.txt"
        try "not a database\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        let fromForeign = try runBotify(args + [foreign])
        #expect(fromForeign.status == 0 && fromForeign.stdout.contains("cache not read: \(foreign): is not an SQLite database"),
                "\(fromForeign.stdout)\(fromForeign.stderr)")
        #expect(try String(contentsOfFile: foreign, encoding: .utf8) == "not a database\n")
    }
}
