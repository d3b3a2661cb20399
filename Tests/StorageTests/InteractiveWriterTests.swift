import Core
import Foundation
import GRDB
import Testing
@testable import Storage

@Suite struct InteractiveWriterTests {
    let meta = SessionMeta(user: 7, strategy: "sticky-artist", source: .human, catalogFingerprint: "abc", startedAt: 100)

    @Test func everyAcknowledgedPlayIsThereAfterReopening() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        var log = sampleLog(user: 7, plays: 5, strategy: "sticky-artist")
        log.plays[1].liked = true
        log.plays[4].liked = true
        var id: Int64 = 0
        do {
            let writer = InteractiveSessionWriter(database: try BotifyDatabase(path: path))
            id = try writer.begin(meta)
            for play in log.plays { try writer.append(play, at: 101) }
            // No finish: the process "goes away" with the session open.
        }
        let reopened = try BotifyDatabase(path: path)
        #expect(try reopened.plays(session: id) == log.plays)
        let summary = try #require(try reopened.session(id: id))
        #expect(summary.endedAt == nil)
        #expect(summary.plays == 5 && summary.skips == 2 && summary.length == log.length)
        #expect(try reopened.sessionSummaries().isEmpty, "an open session never looks finished")
    }

    /// Both writers store a play through the one insert, so a liked play reads back liked
    /// whichever wrote it (the batch writer used to drop `liked`).
    @Test func bothWritersStoreLikes() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        var log = sampleLog(user: 7, plays: 4, strategy: "sticky-artist", source: .bot)
        log.plays[0].liked = true
        log.plays[2].liked = true
        let batch = BatchSessionWriter(database: db)
        try batch.append(log)
        try batch.close()
        let interactive = InteractiveSessionWriter(database: db)
        let id = try interactive.begin(SessionMeta(log))
        for play in log.plays { try interactive.append(play) }
        try interactive.finish()
        #expect(try db.plays(session: 1).map(\.liked) == [true, false, true, false])
        #expect(try db.plays(session: id) == db.plays(session: 1))
        #expect(try db.plays(sessions: [1, id]) == [1: log.plays, id: log.plays])
    }

    /// The player stores why each play was chosen (v8's `play_log.reason`); the batch writer,
    /// the headless path, leaves it NULL; the `plays` view and History's reader show both.
    @Test func reasonsAreStoredForPlayerPlaysOnly() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let log = sampleLog(user: 7, plays: 3, strategy: "sticky-artist", source: .bot)
        let batch = BatchSessionWriter(database: db)
        try batch.append(log)
        try batch.close()
        let interactive = InteractiveSessionWriter(database: db)
        let id = try interactive.begin(SessionMeta(log))
        let reasons = ["your pick", "from your queue", "same artist as 'Jazz' — Queen"]
        for (play, reason) in zip(log.plays, reasons) { try interactive.append(play, reason: reason) }
        try interactive.finish()
        #expect(try db.playReasons(sessions: [1, id]) == [id: [0: reasons[0], 1: reasons[1], 2: reasons[2]]])
        let stored = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT session_id, reason FROM plays ORDER BY session_id, position").map {
                "\($0["session_id"] as Int64) \(($0["reason"] as String?) ?? "NULL")"
            }
        }
        #expect(stored == ["1 NULL", "1 NULL", "1 NULL"] + reasons.map { "\(id) \($0)" })
        #expect(try db.plays(session: id) == db.plays(session: 1), "the reason is beside the play, not in it")
    }

    @Test func finishEndsTheSession() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = InteractiveSessionWriter(database: db)
        let id = try writer.begin(meta)
        for play in sampleLog(user: 7, plays: 3).plays { try writer.append(play) }
        let summary = try writer.finish(endedAt: 200)
        #expect(summary.id == id && summary.endedAt == 200 && !summary.recovered)
        #expect(summary.length == 2.25 && summary.plays == 3 && summary.skips == 1)
        #expect(writer.currentSession == nil)
        #expect(try db.sessionSummaries() == [summary])
    }

    @Test func misuseIsRefused() throws {
        let dir = TemporaryDirectory()
        let writer = InteractiveSessionWriter(database: try BotifyDatabase(path: dir.file("db.sqlite")))
        let play = sampleLog(user: 7, plays: 2).plays[1]
        #expect(throws: StorageError.noOpenSession) { try writer.append(play) }
        let id = try writer.begin(meta)
        #expect(throws: StorageError.sessionAlreadyOpen(id)) { try writer.begin(meta) }
        #expect(throws: StorageError.outOfOrder(session: id, expected: 0, got: 1)) { try writer.append(play) }
    }

    @Test func recoveryClosesSessionsOfDeadProcessesOnly() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let crashed = InteractiveSessionWriter(database: db)
        let dead = try crashed.begin(meta)
        for play in sampleLog(user: 7, plays: 2).plays { try crashed.append(play, at: 150) }
        try db.write { try $0.execute(sql: "UPDATE sessions SET owner_pid = ? WHERE id = ?", arguments: [try deadPID(), dead]) }

        let live = InteractiveSessionWriter(database: db)
        let alive = try live.begin(SessionMeta(user: 8, strategy: "random", source: .human, startedAt: 160))

        #expect(try live.recoverOpenSessions() == [dead])
        let recovered = try #require(try db.session(id: dead))
        #expect(recovered.recovered && recovered.endedAt == 150 && recovered.plays == 2)
        #expect(try db.plays(session: dead).count == 2)
        #expect(try db.session(id: alive)?.endedAt == nil)
        #expect(try live.recoverOpenSessions().isEmpty)
    }

    /// The pid of a process that has exited.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exit 0"]
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}
