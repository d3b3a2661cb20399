import Foundation
import Testing

/// Several `botify` processes on one database at once: writers wait for each other (no
/// "database is locked" reaches the user), no row is lost, and readers see every commit.
@Suite struct TwoProcessTests {
    /// The `N sessions, P plays in …` summary line of a finished `simulate`.
    static func summary(_ lines: [String]) -> (sessions: Int, plays: Int)? {
        for line in lines {
            if let m = line.firstMatch(of: #/^(\d+) sessions, (\d+) plays in /#) { return (Int(m.1)!, Int(m.2)!) }
        }
        return nil
    }

    static func simulate(seed: Int, users: Int, sessions: Int, db: String) throws -> RunningBotify {
        // Small batches: many short transactions, so the two writers contend for the lock often.
        try RunningBotify(["simulate", "--strategy", "random", "--users", String(users), "--sessions", String(sessions),
                           "--seed", String(seed), "--threads", "1", "--batch-plays", "300", "--db", db, "--catalog", smallCatalog])
    }

    @Test func twoSimulationsWriteOneDatabaseAtOnce() throws {
        let db = scratchDirectory("two-writers") + "/botify.sqlite"
        // Both start on a file that does not exist yet: they also race to create and migrate it.
        let a = try Self.simulate(seed: 1, users: 150, sessions: 8, db: db)
        let b = try Self.simulate(seed: 2, users: 120, sessions: 10, db: db)
        var sessions = 0, plays = 0
        var ids: [ClosedRange<Int64>] = []
        for (name, run) in [("a", a), ("b", b)] {
            let ended = run.finish()
            #expect(ended.status == 0, "\(name): \(ended.stderr)")
            #expect(!ended.stderr.localizedCaseInsensitiveContains("locked"), "\(name): \(ended.stderr)")
            let acks = Acknowledgement.all(ended.lines)
            let reported = try #require(Self.summary(ended.lines), "\(name): \(ended.lines)")
            #expect(acks.count > 3, "\(name) should have committed several batches")
            #expect(acks.reduce(0) { $0 + $1.sessions } == reported.sessions)
            #expect(acks.reduce(0) { $0 + $1.plays } == reported.plays)
            sessions += reported.sessions
            plays += reported.plays
            ids += acks.map(\.ids)
        }
        #expect(sessions == 150 * 8 + 120 * 10)
        #expect(try sqlite(db, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(db, "SELECT count(*), (SELECT count(*) FROM plays) FROM sessions") == "\(sessions)|\(plays)")
        #expect(try sqlite(db, "SELECT count(*) FROM worlds") == "2")
        // Each batch's ids are its own: batches of the two writers never overlap.
        let sorted = ids.sorted { $0.lowerBound < $1.lowerBound }
        for (x, y) in zip(sorted, sorted.dropFirst()) { #expect(x.upperBound < y.lowerBound) }
        #expect(sorted.reduce(0) { $0 + $1.count } == sessions)
    }

    @Test func statsAndExportReadWhileSimulateWrites() throws {
        let db = scratchDirectory("reader-writer") + "/botify.sqlite"
        let writer = try Self.simulate(seed: 3, users: 200, sessions: 40, db: db)
        var readerRuns = 0
        while true {
            let seen = writer.waitForLines(timeout: 60) { !Acknowledgement.all($0).isEmpty }
            let ackedPlays = Acknowledgement.all(seen).reduce(0) { $0 + $1.plays }
            let done = Self.summary(seen) != nil
            let export = try runBotify(["export", "plays", "--format", "csv", "--db", db])
            let stats = try runBotify(["stats", "--db", db])
            readerRuns += 1
            for (name, r) in [("export", export), ("stats", stats)] {
                #expect(r.status == 0, "\(name): \(r.stderr)")
                #expect(!r.stderr.localizedCaseInsensitiveContains("locked"), "\(name): \(r.stderr)")
            }
            // Every play acknowledged before the export started is in it (one header line).
            let rows = export.stdout.split(separator: "\r\n").count - 1
            #expect(rows >= ackedPlays, "export saw \(rows) plays, \(ackedPlays) were acknowledged")
            #expect(stats.stdout.contains("random"), "\(stats.stdout)")
            if done || readerRuns == 4 { break }
        }
        let ended = writer.finish()
        #expect(ended.status == 0 && !ended.stderr.localizedCaseInsensitiveContains("locked"), "\(ended.stderr)")
        let reported = try #require(Self.summary(ended.lines))
        let export = try runBotify(["export", "plays", "--format", "csv", "--db", db])
        #expect(export.stdout.split(separator: "\r\n").count - 1 == reported.plays)
        #expect(try sqlite(db, "PRAGMA integrity_check") == "ok")
    }
}
