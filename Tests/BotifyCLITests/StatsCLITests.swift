import Foundation
import Testing

/// `botify stats` over a database with an experiment and sessions outside it.
@Suite struct StatsCLITests {
    static func run(_ arguments: [String], db: String) throws -> BotifyResult {
        try runBotify(arguments + ["--db", db])
    }

    @Test func experimentsAreReportedWholeAndApartFromOtherSessions() throws {
        let db = scratchDirectory("stats") + "/stats.sqlite"
        let common = ["--users", "40", "--sessions", "3", "--threads", "2", "--catalog", smallCatalog]
        #expect(try Self.run(["simulate", "--strategy", "random", "--seed", "1"] + common, db: db).status == 0)
        #expect(try Self.run(["ab", "--experiment", "E", "--arms", "random,top-pop", "--seed", "2"] + common, db: db).status == 0)

        let all = try Self.run(["stats"], db: db)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("experiment E (seed 2, 40 users × 3 sessions)\nrandomised by user; unit of analysis: user"))
        #expect(all.stdout.contains("sessions outside experiments in \(db)\nunit of analysis: user"), "\(all.stdout)")
        #expect(all.stdout.contains("sample ratio: users per arm"))

        let json = try Self.run(["stats", "--json"], db: db)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(reports.map { $0["design"] as? String } == ["randomised", "observational"])
        #expect(reports.allSatisfy { $0["unit"] as? String == "user" })

        let filtered = try Self.run(["stats", "--strategy", "random"], db: db)
        #expect(filtered.status == 0 && !filtered.stdout.contains("experiment E"), "\(filtered.stdout)")
        let refused = try Self.run(["stats", "--experiment", "E", "--strategy", "random"], db: db)
        #expect(refused.status == 2 && refused.stderr.contains("an experiment is compared whole"), "\(refused.stderr)")
    }
}
