import Foundation
import Testing

/// `--traffic course` on `simulate` and `ab`: each session draws its user with replacement,
/// the same sessions for any --threads, and the experiment record says which traffic it ran.
@Suite("--traffic")
struct TrafficCLITests {
    @Test("simulate --traffic course: users drawn with replacement, the same stored sessions on 1 and 2 threads")
    func simulateCourseTraffic() throws {
        let dir = scratchDirectory("traffic")
        var stored: [String] = []
        for threads in ["1", "2"] {
            let db = dir + "/sim-\(threads).sqlite"
            let run = try runBotify(["simulate", "--strategy", "sticky-artist", "--traffic", "course", "--users", "40",
                                     "--sessions", "3", "--seed", "9", "--threads", threads, "--catalog", smallCatalog, "--db", db])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("course traffic"), "\(run.stdout)")
            #expect(try sqlite(db, "SELECT count(*) FROM sessions") == "120")
            // Some users have no session and some more than 3.
            #expect(try Int(sqlite(db, "SELECT count(DISTINCT user_id) FROM sessions"))! < 40)
            #expect(try Int(sqlite(db, "SELECT max(n) FROM (SELECT count(*) AS n FROM sessions GROUP BY user_id)"))! > 3)
            stored.append(try sqlite(db, "SELECT group_concat(user_id || ':' || plays || ':' || length, ' ') FROM (SELECT * FROM sessions ORDER BY id)"))
        }
        #expect(stored[0] == stored[1])
    }

    @Test("ab stores the traffic it ran with; an unknown traffic is a usage error")
    func abRecordsTraffic() throws {
        let db = scratchDirectory("traffic-ab") + "/ab.sqlite"
        for (name, traffic) in [("course-ab", ["--traffic", "course"]), ("plain-ab", [])] {
            let run = try runBotify(["ab", "--experiment", name, "--arms", "random,sticky-artist", "--users", "30", "--sessions", "2",
                                     "--seed", "1", "--threads", "2", "--catalog", smallCatalog, "--db", db] + traffic)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(try sqlite(db, "SELECT group_concat(name || '=' || traffic, ' ') FROM (SELECT * FROM experiments ORDER BY name)")
                == "course-ab=course plain-ab=per-user")
        let bad = try runBotify(["simulate", "--traffic", "weekly", "--users", "5", "--no-log", "--catalog", smallCatalog])
        #expect(bad.status == 2, "\(bad.stderr)")
    }
}
