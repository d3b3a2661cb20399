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
                == "top-pop:1-120 i2i:1-120 markov:1-120 als:1-120 top-pop:1-240 i2i:1-240 markov:1-240 als:1-240")

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

/// `--returning`: botify's returning-listener model over days, through the real binary.
@Suite("simulate/ab --days --returning")
struct ReturningListenersCLITests {
    static func run(_ command: String, _ db: String, _ extra: [String]) throws -> BotifyResult {
        try runBotify([command, "--days", "4", "--users", "80", "--sessions", "1", "--seed", "9",
                       "--catalog", smallCatalog, "--db", db] + extra)
    }

    @Test("a return rate so high that everyone comes back, and no churn, is the plain day cycle, session for session")
    func everyoneBackIsThePlainDayCycle() throws {
        let dir = scratchDirectory("returning-all")
        let plain = try Self.run("simulate", dir + "/plain.sqlite", [])
        let back = try Self.run("simulate", dir + "/back.sqlite", ["--returning", "--return-rate", "1000", "--churn", "0"])
        #expect(plain.status == 0 && back.status == 0, "\(plain.stderr) \(back.stderr)")
        let sessions = "SELECT user_id, seed, interest_track, plays, skips, length FROM sessions ORDER BY id"
        let plays = "SELECT session_id, position, track, fraction FROM plays ORDER BY session_id, position"
        #expect(try sqlite(dir + "/plain.sqlite", sessions) == sqlite(dir + "/back.sqlite", sessions))
        #expect(try sqlite(dir + "/plain.sqlite", plays) == sqlite(dir + "/back.sqlite", plays))
        #expect(back.stdout.contains("long-term metric: total listening per assigned user over 4 days"))
        #expect(back.stdout.contains("100.0%"), "everyone still comes on day 4")
    }

    @Test("returning users: fewer come back each day, the same whatever --threads is, files written")
    func returningIsDeterministicAcrossThreads() throws {
        let dir = scratchDirectory("returning")
        let one = try Self.run("simulate", dir + "/one.sqlite", ["--returning", "--threads", "1", "--csv", dir + "/one.csv"])
        let two = try Self.run("simulate", dir + "/two.sqlite", ["--returning", "--threads", "2", "--csv", dir + "/two.csv",
                                                                 "--svg", dir + "/two.svg"])
        #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
        let csvOne = try String(contentsOfFile: dir + "/one.csv", encoding: .utf8)
        #expect(csvOne == (try String(contentsOfFile: dir + "/two.csv", encoding: .utf8)))
        let perDay = try sqlite(dir + "/one.sqlite", "SELECT count(*) FROM sessions GROUP BY seed ORDER BY min(id)")
            .split(separator: "\n").compactMap { Int($0) }
        #expect(perDay.count == 4 && perDay[0] == 80 && perDay[3] < 80, "active users per day: \(perDay)")
        #expect(csvOne.split(separator: "\n").count == 5)
        #expect(try String(contentsOfFile: dir + "/two.svg", encoding: .utf8).hasPrefix("<svg"))
    }

    @Test("ab --days: users keep their arm every day; the long-term table compares arms over users")
    func abOverDays() throws {
        let dir = scratchDirectory("returning-ab")
        let db = dir + "/ab.sqlite"
        let run = try Self.run("ab", db, ["--experiment", "LT", "--arms", "random,sticky-artist-fresh", "--returning"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try sqlite(db, "SELECT count(*) FROM (SELECT user_id FROM sessions GROUP BY user_id HAVING count(DISTINCT arm) > 1)") == "0")
        #expect(run.stdout.contains("experiment LT, long term"))
        #expect(run.stdout.contains("sticky-artist-fresh vs random"))
        #expect(run.stdout.contains("day 4: "))
    }

    @Test("bad long-term flags exit 2 and create nothing")
    func refusals() throws {
        let dir = scratchDirectory("returning-bad")
        let db = dir + "/x.sqlite"
        for (flags, named) in [(["--return-rate", "2"], "--return-rate"), (["--returning", "--churn", "1.5"], "--churn"),
                               (["--returning", "--fatigue", "nan"], "--fatigue"),
                               (["--returning", "--traffic", "course"], "--traffic"),
                               (["--csv", dir + "/missing/days.csv"], "--csv"),
                               (["--retrain-every", "0"], "--retrain-every")] {
            let run = try Self.run("simulate", db, flags)
            #expect(run.status == 2 && run.stderr.hasPrefix("botify: ") && run.stderr.contains(named), "\(flags): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}

/// `--drift` (interest drift) and `--retrain --incremental`, through the real binary.
@Suite("simulate/ab --days --drift, --incremental")
struct DriftAndIncrementalCLITests {
    static func run(_ db: String, _ extra: [String], days: String = "3") throws -> BotifyResult {
        try runBotify(["simulate", "--days", days, "--users", "60", "--sessions", "2", "--seed", "5",
                       "--catalog", smallCatalog, "--db", db] + extra)
    }

    static let sessions = "SELECT user_id, seed, interest_track, plays, skips, length FROM sessions ORDER BY id"
    static let plays = "SELECT session_id, position, track, fraction FROM plays ORDER BY session_id, position"

    @Test("--drift 0 is the undrifted run session for session; --drift 0.5 changes later days, the same at 1 and 2 threads")
    func drift() throws {
        let dir = scratchDirectory("drift")
        let plain = try Self.run(dir + "/plain.sqlite", ["--csv", dir + "/plain.csv"])
        let still = try Self.run(dir + "/still.sqlite", ["--drift", "0", "--csv", dir + "/still.csv"])
        #expect(plain.status == 0 && still.status == 0, "\(plain.stderr) \(still.stderr)")
        #expect(try sqlite(dir + "/plain.sqlite", Self.sessions) == sqlite(dir + "/still.sqlite", Self.sessions))
        #expect(try sqlite(dir + "/plain.sqlite", Self.plays) == sqlite(dir + "/still.sqlite", Self.plays))
        #expect(still.stdout.contains("every user every day; interest drift 0"))

        let one = try Self.run(dir + "/one.sqlite", ["--drift", "0.5", "--threads", "1", "--csv", dir + "/one.csv"])
        let two = try Self.run(dir + "/two.sqlite", ["--drift", "0.5", "--threads", "2", "--csv", dir + "/two.csv"])
        #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
        let csvOne = try String(contentsOfFile: dir + "/one.csv", encoding: .utf8)
        #expect(csvOne == (try String(contentsOfFile: dir + "/two.csv", encoding: .utf8)))
        #expect(try sqlite(dir + "/one.sqlite", Self.plays) == sqlite(dir + "/two.sqlite", Self.plays))
        let day1 = "SELECT user_id, interest_track, plays, length FROM sessions WHERE id <= 120 ORDER BY id"
        #expect(try sqlite(dir + "/one.sqlite", day1) == sqlite(dir + "/plain.sqlite", day1), "day 1 is never drifted")
        #expect(try sqlite(dir + "/one.sqlite", Self.plays) != sqlite(dir + "/plain.sqlite", Self.plays))
    }

    @Test("--retrain --incremental serves the same i2i as a recount, so an i2i run is the same session for session")
    func incrementalI2IIsTheRecount() throws {
        let dir = scratchDirectory("incremental")
        let flags = ["--strategy", "i2i", "--retrain", "--factors", "2", "--iterations", "2"]
        let scratch = try Self.run(dir + "/scratch.sqlite", flags)
        let incremental = try Self.run(dir + "/incremental.sqlite", flags + ["--incremental", "--warm-iterations", "1"])
        #expect(scratch.status == 0 && incremental.status == 0, "\(scratch.stderr) \(incremental.stderr)")
        #expect(try sqlite(dir + "/scratch.sqlite", Self.plays) == sqlite(dir + "/incremental.sqlite", Self.plays))
        // Every night trained on everything so far; als warm-started after the first.
        let models = "SELECT group_concat(strategy || ':' || first_session_id || '-' || last_session_id, ' ') FROM (SELECT * FROM models WHERE strategy IN ('i2i', 'als') ORDER BY id)"
        #expect(try sqlite(dir + "/incremental.sqlite", models) == "i2i:1-120 als:1-120 i2i:1-240 als:1-240 i2i:1-360 als:1-360")
        #expect(try sqlite(dir + "/incremental.sqlite", "SELECT group_concat(json_extract(params, '$.warm_start'), ',') FROM (SELECT * FROM models WHERE strategy = 'als' ORDER BY id)") == "0,1,1")
    }

    @Test("bad drift and incremental flags exit 2 and create nothing")
    func refusals() throws {
        let dir = scratchDirectory("drift-bad")
        let db = dir + "/x.sqlite"
        for (flags, named) in [(["--drift", "1.5"], "--drift"), (["--drift", "nan"], "--drift"),
                               (["--drift", "0.2", "--strategy", "oracle"], "--drift"),
                               (["--incremental"], "--incremental"),
                               (["--retrain", "--warm-iterations", "2"], "--warm-iterations"),
                               (["--retrain", "--incremental", "--warm-iterations", "-1"], "--warm-iterations")] {
            let run = try Self.run(db, flags)
            #expect(run.status == 2 && run.stderr.hasPrefix("botify: ") && run.stderr.contains(named), "\(flags): \(run.stderr)")
        }
        let oneDay = try Self.run(db, ["--drift", "0.2"], days: "1")
        #expect(oneDay.status == 2 && oneDay.stderr.contains("--drift") && oneDay.stderr.contains("--days 2"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
