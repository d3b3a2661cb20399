import Foundation
import Testing

/// `botify ab --plan`: a pilot, variance components and users needed; nothing is logged.
@Suite("ab --plan")
struct ABPlanCLITests {
    @Test("a plan prints users per arm that fall as sessions per user rise, and writes no database")
    func plan() throws {
        let db = scratchDirectory("ab-plan") + "/plan.sqlite"
        let r = try runBotify(["ab", "--plan", "--arms", "random,random", "--mde", "10%", "--users", "200", "--sessions", "5",
                               "--seed", "1", "--threads", "2", "--catalog", smallCatalog, "--db", db])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("detect a change of ±10% in mean session length") && r.stdout.contains("unit: user"))
        let rows = r.stdout.split(separator: "\n").compactMap { line -> (Int, Int)? in
            let cells = line.split(separator: " ").compactMap { Int($0) }
            return cells.count == 3 ? (cells[0], cells[1]) : nil
        }
        #expect(rows.map(\.0) == [1, 5, 10, 20], "\(r.stdout)")
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.1 >= $1.1 }, "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("--pilot plans from stored sessions: an experiment's control arm, or '-' for sessions outside experiments")
    func storedPilot() throws {
        let db = scratchDirectory("ab-plan") + "/stored.sqlite"
        let common = ["--users", "60", "--sessions", "4", "--threads", "2", "--catalog", smallCatalog, "--db", db]
        #expect(try runBotify(["simulate", "--strategy", "random", "--seed", "1"] + common).status == 0)
        #expect(try runBotify(["ab", "--experiment", "E", "--arms", "random,top-pop", "--seed", "2"] + common).status == 0)
        let outside = try runBotify(["ab", "--plan", "--arms", "random,top-pop", "--pilot", "-", "--db", db])
        #expect(outside.status == 0 && outside.stdout.contains("pilot (stored sessions outside experiments): 60 users, 240 sessions of random"),
                "\(outside.stdout)\(outside.stderr)")
        let arm = try runBotify(["ab", "--plan", "--arms", "random,top-pop", "--pilot", "E", "--db", db])
        #expect(arm.status == 0 && arm.stdout.contains("pilot (stored experiment E):"), "\(arm.stdout)\(arm.stderr)")
        let none = try runBotify(["ab", "--plan", "--arms", "i2i,random", "--pilot", "E", "--db", db])
        #expect(none.status == 2 && none.stderr.contains("no stored sessions of i2i"), "\(none.stderr)")
    }

    @Test("a bad --mde exits 2 with one line")
    func badEffect() throws {
        let r = try runBotify(["ab", "--plan", "--arms", "random,random", "--mde", "lots", "--catalog", smallCatalog])
        #expect(r.status == 2 && r.stderr.contains("--mde") && r.stderr.contains("lots"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
