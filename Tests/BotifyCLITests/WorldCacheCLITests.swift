import Foundation
import Testing

/// The world cache end to end (issue #13, item 4): the second run of a world loads it from the
/// database and says so, hears exactly what the first heard, a damaged entry is rebuilt, and bad
/// input still writes nothing.
@Suite("world cache")
struct WorldCacheCLITests {
    /// The report table: what was heard, without the timing lines and session ids.
    static func table(_ stdout: String) -> [Substring] {
        stdout.split(separator: "\n").filter {
            !$0.hasPrefix("generated world") && !$0.hasPrefix("world from") && !$0.contains("plays/s")
                && !$0.hasPrefix("logged to") && !$0.hasPrefix("committed batch") && !$0.hasPrefix("simulated ")
        }
    }

    @Test("a generated world: generated and cached, then loaded from cache with the same sessions; a damaged entry is rebuilt")
    func generatedWorld() throws {
        let dir = scratchDirectory("world-cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/botify.sqlite"
        let args = ["simulate", "--users", "60", "--sessions", "2", "--seed", "3", "--catalog", smallCatalog, "--db", db]
        let first = try runBotify(args)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("; world #1 generated in ") && first.stdout.contains(" and cached (catalog read in "),
                "\(first.stdout)")
        let second = try runBotify(args)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("; world #1 loaded from cache in "), "\(second.stdout)")
        #expect(!Self.table(first.stdout).isEmpty && Self.table(second.stdout) == Self.table(first.stdout))
        #expect(try sqlite(db, "SELECT count(*) FROM world_cache") == "1")

        // One byte of the entry changed: refused, said, regenerated, replaced; same sessions.
        _ = try sqlite(db, "UPDATE world_cache SET payload = CAST(X'00' || substr(payload, 2) AS BLOB)")
        let third = try runBotify(args)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("world #1 generated in ") && third.stdout.contains("the cached entry was refused (checksum"),
                "\(third.stdout)")
        #expect(Self.table(third.stdout) == Self.table(first.stdout))
        let fourth = try runBotify(args)
        #expect(fourth.stdout.contains("world #1 loaded from cache in ") && !fourth.stdout.contains("refused"), "\(fourth.stdout)")

        // Another seed is another world with its own entry.
        let other = try runBotify(args + ["--world-seed", "9"])
        #expect(other.stdout.contains("world #2 generated in "), "\(other.stdout)")
        #expect(try sqlite(db, "SELECT count(*) FROM world_cache") == "2")
    }

    @Test("an imported world: lists computed for the users run, reused, and only the missing ones computed for more users")
    func importedWorld() throws {
        let dir = scratchDirectory("world-cache-import")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let world = dir + "/world", db = dir + "/botify.sqlite"
        #expect(try runBotify(["world", "export", world, "--users", "40", "--catalog", smallCatalog]).status == 0)
        func run(_ users: Int) throws -> BotifyResult {
            try runBotify(["simulate", "--world", world, "--users", String(users), "--sessions", "2", "--db", db])
        }
        let first = try run(10)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("10 users") && first.stdout.contains("interest tracks computed in ")
                && first.stdout.contains(" and cached"), "\(first.stdout)")
        let again = try run(10)
        #expect(again.stdout.contains(": files read in ") && again.stdout.contains("neighbour lists loaded from cache in "),
                "\(again.stdout)")
        #expect(Self.table(again.stdout) == Self.table(first.stdout))
        let more = try run(40)
        #expect(more.stdout.contains("interest tracks computed in "), "\(more.stdout)")
        let fewer = try run(25)
        #expect(fewer.stdout.contains("neighbour lists loaded from cache in "), "\(fewer.stdout)")
        // The world row names the files whatever --users is.
        #expect(try sqlite(db, "SELECT count(*) FROM worlds") == "1")
    }

    @Test("bad world input: exit 2, one line, no database created")
    func badInputCreatesNothing() throws {
        let dir = scratchDirectory("world-cache-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let world = dir + "/world", db = dir + "/botify.sqlite"
        #expect(try runBotify(["world", "export", world, "--users", "5", "--catalog", smallCatalog]).status == 0)
        try "{\"user\": 0, \"interests\": [99999]}\n".write(toFile: world + "/users.json", atomically: true, encoding: .utf8)
        for args in [["simulate", "--world", world], ["ab", "--experiment", "e", "--arms", "random,sticky-artist", "--world", world],
                     ["simulate", "--world", dir + "/missing"], ["simulate", "--users", "10", "--catalog", dir + "/none.csv"]] {
            let r = try runBotify(args + ["--db", db])
            let lines = r.stderr.split(separator: "\n")
            #expect(r.status == 2 && lines.count == 1 && lines.first?.hasPrefix("botify: ") == true, "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(args) created the database")
        }
        // More users than the file has: refused before anything is opened.
        try "{\"user\": 0, \"interests\": [1]}\n".write(toFile: world + "/users.json", atomically: true, encoding: .utf8)
        let r = try runBotify(["simulate", "--world", world, "--users", "2", "--db", db])
        #expect(r.status == 2 && r.stderr.contains("the world has only 1 users"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
