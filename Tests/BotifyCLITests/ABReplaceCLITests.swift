import Foundation
import Testing

/// `botify ab` with a name already in the database: refused unless --replace, which leaves
/// only the new run behind.
@Suite("ab --replace")
struct ABReplaceCLITests {
    static func ab(_ db: String, seed: Int, _ extra: [String] = []) throws -> BotifyResult {
        try runBotify(["ab", "--experiment", "rerun", "--arms", "random,random", "--users", "30", "--sessions", "2",
                       "--seed", String(seed), "--threads", "2", "--catalog", smallCatalog, "--db", db] + extra)
    }

    @Test("a second run under the same name exits 2; --replace deletes the old sessions, plays and record")
    func refuseThenReplace() throws {
        let db = scratchDirectory("ab-replace") + "/ab.sqlite"
        let first = try Self.ab(db, seed: 1)
        #expect(first.status == 0, "\(first.stderr)")

        let refused = try Self.ab(db, seed: 2)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("experiment rerun already exists in \(db) (60 sessions); choose another name or pass --replace"),
                "\(refused.stderr)")
        #expect(try sqlite(db, "SELECT count(*) FROM sessions") == "60")

        let replaced = try Self.ab(db, seed: 2, ["--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        // Only the seed-2 run is left (SQLite may reuse the deleted ids, so compare seeds, not ids).
        #expect(try sqlite(db, "SELECT count(*), count(DISTINCT seed), min(seed) FROM sessions") == "60|1|2")
        // Every remaining play belongs to a remaining session, and each session has all its plays.
        #expect(try sqlite(db, "SELECT count(*) FROM plays WHERE session_id NOT IN (SELECT id FROM sessions)") == "0")
        #expect(try sqlite(db, "SELECT sum(plays) FROM sessions") == sqlite(db, "SELECT count(*) FROM plays"))
        #expect(try sqlite(db, "SELECT count(*), max(seed) FROM experiments") == "1|2")
    }
}
