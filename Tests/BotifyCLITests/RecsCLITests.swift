import Core
import Foundation
import Storage
import Testing

/// `botify recs import|export|list` through the real binary, and an imported list used as a
/// strategy by `simulate` and `ab`.
@Suite("recs commands")
struct RecsCLITests {
    /// An i2i file over the 2,000-track small catalog: track t lists t+1…t+5 (mod 2,000), as
    /// the course writes its files.
    static let i2iFile: String = {
        let path = scratchDirectory("recs") + "/neighbours.jsonl"
        let text = (0..<2_000).map { t in
            "{\"item_id\": \(t), \"recommendations\": [\((1...5).map { String((t + $0) % 2_000) }.joined(separator: ", "))]}\n"
        }.joined()
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    static func recs(_ arguments: [String], db: String) throws -> BotifyResult {
        try runBotify(["recs"] + arguments + ["--db", db, "--catalog", smallCatalog])
    }

    @Test("import, list, then simulate and ab with the list as a strategy; export writes the file back byte for byte")
    func importThenSimulate() throws {
        let dir = scratchDirectory("recs-sim")
        let db = dir + "/botify.sqlite"
        let imported = try Self.recs(["import", Self.i2iFile, "--name", "neighbours"], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported neighbours: i2i, 2,000 tracks, 10,000 recommendations, catalog 2,000 tracks"))
        let again = try Self.recs(["import", Self.i2iFile, "--name", "neighbours"], db: db)
        #expect(again.status == 2 && again.stderr.contains("already stored (pass --replace"), "\(again.stderr)")
        let list = try runBotify(["recs", "list", "--db", db])
        #expect(list.status == 0 && list.stdout.contains("neighbours  i2i   2,000           10,000  neighbours.jsonl"), "\(list.stdout)")

        let sim = try runBotify(["simulate", "--strategy", "neighbours", "--users", "40", "--sessions", "2", "--seed", "3",
                                 "--catalog", smallCatalog, "--db", db])
        #expect(sim.status == 0, "\(sim.stderr)")
        #expect(sim.stdout.contains("strategy neighbours") && sim.stdout.contains("logged to"), "\(sim.stdout)")
        let database = try BotifyDatabase(path: db)
        let sessions = try database.sessionSummaries()
        #expect(sessions.count == 80 && sessions.allSatisfy { $0.strategy == "neighbours" })
        // Picks follow the lists: one of the five tracks after an anchor among the user's last 10
        // plays (earlier sessions included, as the course remembers them), but for fallbacks.
        let plays = try database.sessions(matching: InteractionFilter()).sorted { $0.sessionID < $1.sessionID }
        var remembered: [Int64: [TrackID]] = [:]
        var fromLists = 0, all = 0
        for s in plays {
            var window = remembered[s.user] ?? []
            for (i, t) in s.tracks.enumerated() {
                if i > 0 {
                    all += 1
                    if window.suffix(10).contains(where: { a in (1...5).contains((Int(t) - Int(a) + 2_000) % 2_000) }) { fromLists += 1 }
                }
                window.append(t)
            }
            remembered[s.user] = window
        }
        #expect(all > 100 && Double(fromLists) / Double(all) > 0.98, "\(fromLists) of \(all) picks follow the lists")

        let ab = try runBotify(["ab", "--experiment", "lists", "--arms", "random,neighbours", "--users", "40", "--sessions", "2",
                                "--catalog", smallCatalog, "--db", db])
        #expect(ab.status == 0, "\(ab.stderr)")
        #expect(ab.stdout.contains("\nneighbours "), "\(ab.stdout)")

        let out = dir + "/exported.jsonl"
        let exported = try Self.recs(["export", "--strategy", "neighbours", "--kind", "i2i", "--k", "5", "--out", out], db: db)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(FileManager.default.contents(atPath: out) == FileManager.default.contents(atPath: Self.i2iFile))
    }

    @Test("a strategy name that is neither built in nor imported: exit 2, no database created")
    func unknownStrategy() throws {
        let db = scratchDirectory("recs-unknown") + "/botify.sqlite"
        let sim = try runBotify(["simulate", "--strategy", "neigbours", "--users", "5", "--catalog", smallCatalog, "--db", db])
        #expect(sim.status == 2 && sim.stderr.hasPrefix("botify: field '--strategy' value 'neigbours': unknown strategy"), "\(sim.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        let name = try Self.recs(["import", Self.i2iFile, "--name", "i2i"], db: db)
        #expect(name.status == 2 && name.stderr.contains("built-in strategy"), "\(name.stderr)")
        let spaces = try Self.recs(["import", Self.i2iFile, "--name", "my list"], db: db)
        #expect(spaces.status == 2, "\(spaces.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("malformed files (seeded random lines): exit 2, one line naming FILE:LINE, no database created or changed")
    func malformedFiles() throws {
        let dir = scratchDirectory("recs-bad")
        let fresh = dir + "/new.sqlite", existing = dir + "/existing.sqlite"
        #expect(try Self.recs(["import", Self.i2iFile, "--name", "good"], db: existing).status == 0)
        let before = FileManager.default.contents(atPath: existing)
        let bad = ["{\"item_id\": K, \"recommendations\": [1, 2",
                   "{\"item_id\": K, \"recommendations\": []}",
                   "{\"item_id\": K, \"recommendations\": [4, 4]}",
                   "{\"item_id\": K, \"recommendations\": [1, 2000]}",
                   "{\"item_id\": 2000, \"recommendations\": [1]}",
                   "{\"item_id\": K, \"recommendations\": [null]}",
                   "{\"item_id\": 0, \"recommendations\": [9]}",  // 0 is already listed on line 1
                   "not json at all"]
        var rng = SeededGenerator(seed: 12)
        for round in 0..<12 {
            var lines = (0..<(3 + rng.nextIndex(20))).map { t in "{\"item_id\": \(t), \"recommendations\": [\(t + 1)]}" }
            let at = 1 + rng.nextIndex(lines.count)
            lines.insert(bad[round % bad.count].replacingOccurrences(of: "K", with: "1999"), at: at)
            let file = dir + "/bad-\(round).jsonl"
            try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            for db in [fresh, existing] {
                let run = try Self.recs(["import", file, "--name", "bad"], db: db)
                #expect(run.status == 2, "round \(round): \(run.stdout)")
                #expect(run.stderr.hasPrefix("botify: \(file):\(at + 1): ") && run.stderr.filter { $0 == "\n" }.count == 1,
                        "round \(round): \(run.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: fresh))
            #expect(FileManager.default.contents(atPath: existing) == before)
        }
    }
}
