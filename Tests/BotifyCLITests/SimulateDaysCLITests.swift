import Foundation
import Testing

/// `botify simulate --days D --retrain`: the day cycle, through the real binary.
@Suite("simulate --days")
struct SimulateDaysCLITests {
    static func simulate(_ db: String, _ extra: [String]) throws -> BotifyResult {
        try runBotify(["simulate", "--days", "2", "--users", "60", "--sessions", "2", "--seed", "7", "--threads", "2",
                       "--catalog", smallCatalog, "--db", db] + extra)
    }

    @Test("two days with --retrain: models after day 1 cover it, day 2 is logged, same seed → same sessions")
    func twoDaysRetrain() throws {
        let dir = scratchDirectory("days")
        let db = dir + "/days.sqlite"
        let run = try Self.simulate(db, ["--retrain", "--factors", "2", "--iterations", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("day 1: 120 sessions, mean length ") && run.stdout.contains("day 2: 120 sessions"))
        #expect(run.stdout.contains("retrained top-pop ") && run.stdout.contains(", als "))
        #expect(try sqlite(db, "SELECT count(*), count(DISTINCT seed), count(DISTINCT world_id), max(id) FROM sessions") == "240|2|1|240")
        // One model per trainable strategy after each day, each trained on every session so far.
        #expect(try sqlite(db, "SELECT group_concat(strategy || ':' || first_session_id || '-' || last_session_id, ' ') FROM (SELECT * FROM models ORDER BY id)")
                == "top-pop:1-120 i2i:1-120 markov:1-120 als:1-120 ranker:1-120 top-pop:1-240 i2i:1-240 markov:1-240 als:1-240 ranker:1-240")

        // Retraining does not change what random plays, so a plain rerun must store the same sessions.
        let again = dir + "/again.sqlite"
        let rerun = try Self.simulate(again, [])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let sessions = "SELECT user_id, seed, interest_track, plays, skips, length FROM sessions ORDER BY id"
        let plays = "SELECT session_id, position, track, fraction FROM plays ORDER BY session_id, position"
        #expect(try sqlite(db, sessions) == sqlite(again, sessions))
        #expect(try sqlite(db, plays) == sqlite(again, plays))
    }

    @Test("--retrain with --no-log, or --days 0: exit 2")
    func refusals() throws {
        let db = scratchDirectory("days-bad") + "/x.sqlite"
        let noLog = try Self.simulate(db, ["--retrain", "--no-log"])
        #expect(noLog.status == 2 && noLog.stderr.contains("--no-log"))
        let zero = try runBotify(["simulate", "--days", "0", "--catalog", smallCatalog, "--db", db])
        #expect(zero.status == 2 && zero.stderr.contains("--days"))
    }
}
