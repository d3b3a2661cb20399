import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `botify simulate` killed with SIGKILL in the middle of its batches: everything it
/// acknowledged is in the database, nothing half-written looks finished, and the file is sound.
@Suite struct CrashSafetyTests {
    @Test func sigkillMidBatchLosesNoAcknowledgedPlay() throws {
        let db = scratchDirectory("crash") + "/botify.sqlite"
        // Far more work than can finish before the kill; 1,000-play batches commit back to back.
        let run = try RunningBotify(["simulate", "--strategy", "random", "--users", "200", "--sessions", "1000",
                                     "--seed", "5", "--threads", "1", "--batch-plays", "1000",
                                     "--db", db, "--catalog", smallCatalog])
        let before = run.waitForLines(timeout: 60) { Acknowledgement.all($0).count >= 2 }
        // Not right after a line: that would always hit the start of the next batch. Batches
        // take a few tens of milliseconds, so this lands at an arbitrary point inside one.
        Thread.sleep(forTimeInterval: 0.055)
        #expect(kill(run.pid, SIGKILL) == 0)
        let ended = run.finish()
        #expect(ended.reason == .uncaughtSignal && ended.status == SIGKILL, "\(ended.stderr)")
        #expect(Acknowledgement.all(before).count >= 2, "\(before) \(ended.stderr)")
        #expect(!ended.lines.contains { $0.hasPrefix("logged to") }, "the run finished before the kill")

        // Every line printed before the kill was printed after its COMMIT returned.
        let acks = Acknowledgement.all(ended.lines)
        #expect(acks.map(\.batch) == Array(0..<acks.count))
        for (previous, next) in zip(acks, acks.dropFirst()) {
            #expect(next.ids.lowerBound == previous.ids.upperBound + 1, "batches must follow on: \(previous) \(next)")
        }
        let last = try #require(acks.last)
        let ackedSessions = acks.reduce(0) { $0 + $1.sessions }
        let ackedPlays = acks.reduce(0) { $0 + $1.plays }
        #expect(acks.first?.ids.lowerBound == 1 && Int(last.ids.upperBound) == ackedSessions)

        #expect(try sqlite(db, "PRAGMA integrity_check") == "ok")
        for ack in acks {
            let lo = ack.ids.lowerBound, hi = ack.ids.upperBound
            let row = try sqlite(db, """
                SELECT count(*), sum(plays), sum(ended_at IS NOT NULL) FROM sessions WHERE id BETWEEN \(lo) AND \(hi);
                SELECT count(*) FROM plays WHERE session_id BETWEEN \(lo) AND \(hi);
                """)
            #expect(row == "\(ack.sessions)|\(ack.plays)|\(ack.sessions)\n\(ack.plays)", "batch \(ack.batch)")
        }
        // No session whose plays are missing, acknowledged or not: a batch is all or nothing.
        let incomplete = try sqlite(db, """
            SELECT count(*) FROM sessions s
            WHERE s.ended_at IS NULL
               OR s.plays != (SELECT count(*) FROM plays p WHERE p.session_id = s.id)
               OR s.plays != (SELECT coalesce(max(position), -1) + 1 FROM plays p WHERE p.session_id = s.id)
            """)
        #expect(incomplete == "0")
        #expect(try sqlite(db, "SELECT count(*) FROM plays WHERE session_id NOT IN (SELECT id FROM sessions)") == "0")
        let totals = try sqlite(db, "SELECT count(*), max(id), (SELECT count(*) FROM plays), max(plays) FROM sessions")
            .split(separator: "|").map { Int($0)! }
        #expect(totals[0] == totals[1], "session ids have no gaps")
        #expect(totals[0] >= ackedSessions && totals[2] >= ackedPlays)
        // At most the one batch whose COMMIT returned just before the kill, before its line was printed.
        #expect(totals[2] - ackedPlays < 1_000 + totals[3])

        // The file reopens through botify and takes new writes after the stored ones.
        let again = try runBotify(["simulate", "--users", "3", "--sessions", "2", "--seed", "6", "--threads", "1",
                                   "--db", db, "--catalog", smallCatalog])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("session ids \(totals[1] + 1)–\(totals[1] + 6)"), "\(again.stdout)")
        #expect(try sqlite(db, "PRAGMA integrity_check") == "ok")
        #expect(try sqlite(db, "SELECT count(*) FROM sessions") == String(totals[0] + 6))
    }
}
