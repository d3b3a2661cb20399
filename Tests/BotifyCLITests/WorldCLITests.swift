import Foundation
import Testing

/// `botify world export` and `world import` end to end (issue #13, item 5).
@Suite("world export and import")
struct WorldCLITests {
    @Test("world export writes interest_neighbours and world import reads the directory back")
    func exportThenImport() throws {
        let dir = scratchDirectory("world-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/world"
        let export = try runBotify(["world", "export", out, "--users", "20", "--catalog", smallCatalog])
        #expect(export.status == 0, "\(export.stderr)")
        let users = try String(contentsOfFile: out + "/users.json", encoding: .utf8)
        #expect(users.split(separator: "\n").count == 20 && users.contains(#""interest_neighbours":10"#))
        try FileManager.default.moveItem(atPath: out + "/embeddings.npy", toPath: out + "/tracks.npy")
        let back = try runBotify(["world", "import", out])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("2000 tracks, 20 users"), "\(back.stdout)")
    }

    @Test("world export --db: exit 2, one line saying why the database is not used, nothing written")
    func exportRefusesDatabase() throws {
        let dir = scratchDirectory("world-cli-db")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/world", db = dir + "/botify.sqlite"
        let r = try runBotify(["world", "export", out, "--db", db, "--catalog", smallCatalog])
        let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
        #expect(r.status == 2 && lines.count == 1, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("botify: field '--db' value '") == true, "\(r.stderr)")
        #expect(r.stderr.contains("world export does not use the database"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: db))
    }
}
