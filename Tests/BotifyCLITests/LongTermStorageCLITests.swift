import Foundation
import Testing

/// A multi-day run stores its long-term report (migration v10) with the run; `--no-log` stores
/// nothing; `ab --replace` replaces it. Read with the sqlite3 shell, not botify's own code.
@Suite("long-term reports in the database")
struct LongTermStorageCLITests {
    static func ab(_ db: String, _ extra: [String] = []) throws -> BotifyResult {
        try runBotify(["ab", "--experiment", "LT", "--arms", "top-pop,i2i", "--days", "3", "--returning", "--users", "60",
                       "--sessions", "1", "--seed", "5", "--threads", "2", "--catalog", smallCatalog, "--db", db] + extra)
    }

    @Test("ab --days 3 stores what ran and every day of every arm, the figures its --json printed")
    func abStoresItsReport() throws {
        let db = scratchDirectory("lt-ab") + "/lt.sqlite"
        let run = try Self.ab(db, ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try sqlite(db, "SELECT command, experiment, arms, control, days, users, sessions_per_user, traffic, seed, "
                           + "retrain_every IS NULL, return_rate, return_sensitivity, fatigue, churn, drift IS NULL FROM long_term_runs")
                == #"ab|LT|["top-pop","i2i"]|top-pop|3|60|1|per-user|5|1|0.7|2.0|0.1|0.02|1"#)
        #expect(try sqlite(db, "SELECT first_session_id = (SELECT min(id) FROM sessions), last_session_id = (SELECT max(id) FROM sessions), "
                           + "world_id = (SELECT world_id FROM experiments WHERE name = 'LT') FROM long_term_runs") == "1|1|1")
        #expect(try sqlite(db, "SELECT count(*) FROM long_term_days") == "6")
        // Active users per day and arm are the sessions logged (one session a user a day).
        let active = try sqlite(db, "SELECT group_concat(active_users, ',') FROM (SELECT active_users FROM long_term_days ORDER BY day, arm_index)")
        let logged = try sqlite(db, "SELECT group_concat(n, ',') FROM (SELECT count(*) AS n, "
                                + "(SELECT min(id) FROM sessions d WHERE d.seed = s.seed) AS day_start FROM sessions s "
                                + "GROUP BY seed, arm ORDER BY day_start, arm = 'i2i')")
        #expect(active == logged)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let longTerm = try #require(json["long_term"] as? [String: Any])
        let arms = try #require(longTerm["arms"] as? [[String: Any]])
        let printed = arms.map { arm -> String in
            let listening = arm["listening"] as! [String: Any]
            return String(format: "%.9f|%.9f|%.9f", listening["value"] as! Double, listening["ciLow"] as! Double,
                          listening["ciHigh"] as! Double)
        }.joined(separator: "\n")
        #expect(try sqlite(db, "SELECT printf('%.9f|%.9f|%.9f', listening, listening_low, listening_high) FROM long_term_arms ORDER BY arm_index")
                == printed)
        let daily = try #require(longTerm["daily"] as? [[String: Any]])
        let retention = daily.map { String(format: "%.9f", $0["retention"] as! Double) }.joined(separator: "\n")
        #expect(try sqlite(db, "SELECT printf('%.9f', retention) FROM long_term_days ORDER BY day, arm_index") == retention)
        // The comparison with the control is on the treatment's row only.
        #expect(try sqlite(db, "SELECT arm_index, uplift IS NOT NULL, significant IS NOT NULL FROM long_term_arms ORDER BY arm_index")
                == "0|0|0\n1|1|1")

        // --replace deletes the old run's report with its sessions.
        let again = try Self.ab(db, ["--replace", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try sqlite(db, "SELECT count(*), first_session_id = (SELECT min(id) FROM sessions) FROM long_term_runs") == "1|1")
        #expect(try sqlite(db, "SELECT count(*) FROM long_term_days") == "6")
    }

    @Test("simulate --days 2 stores one report, --days 1 none, --no-log writes nothing")
    func simulateStoresOneAndNoLogNone() throws {
        let dir = scratchDirectory("lt-sim")
        let db = dir + "/lt.sqlite"
        let common = ["simulate", "--strategy", "top-pop", "--users", "40", "--sessions", "2", "--seed", "3", "--threads", "2",
                      "--catalog", smallCatalog, "--db", db]
        let twoDays = try runBotify(common + ["--days", "2", "--retrain", "--factors", "2", "--iterations", "1"])
        #expect(twoDays.status == 0, "\(twoDays.stderr)")
        #expect(try sqlite(db, "SELECT command, experiment IS NULL, arms, control IS NULL, days, retrain_every, incremental, "
                           + "return_rate IS NULL, listeners FROM long_term_runs")
                == #"simulate|1|["top-pop"]|1|2|1|0|1|every user every day"#)
        #expect(try sqlite(db, "SELECT group_concat(day || ':' || active_users || ':' || sessions || ':' || printf('%.1f', retention), ' ') "
                           + "FROM long_term_days") == "1:40:80:1.0 2:40:80:1.0")
        let oneDay = try runBotify(common + ["--days", "1"])
        #expect(oneDay.status == 0, "\(oneDay.stderr)")
        let noLog = try runBotify(common + ["--days", "2", "--no-log"])
        #expect(noLog.status == 0, "\(noLog.stderr)")
        #expect(try sqlite(db, "SELECT count(*) FROM long_term_runs") == "1")
        let fresh = dir + "/never.sqlite"
        let noLogFresh = try runBotify(["simulate", "--strategy", "top-pop", "--users", "40", "--sessions", "1", "--days", "2",
                                        "--no-log", "--catalog", smallCatalog, "--db", fresh])
        #expect(noLogFresh.status == 0, "\(noLogFresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh), "--no-log creates no database")
    }
}
