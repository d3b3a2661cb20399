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

    @Test("a bad --mde exits 2 with one line")
    func badEffect() throws {
        let r = try runBotify(["ab", "--plan", "--arms", "random,random", "--mde", "lots", "--catalog", smallCatalog])
        #expect(r.status == 2 && r.stderr.contains("--mde") && r.stderr.contains("lots"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
