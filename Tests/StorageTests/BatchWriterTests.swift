import Core
import Foundation
import Testing
@testable import Storage

/// Collects commit reports from the writer thread.
final class CommitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var commits: [BatchCommit] = []
    func add(_ commit: BatchCommit) { lock.withLock { commits.append(commit) } }
    var all: [BatchCommit] { lock.withLock { commits } }
}

@Suite struct BatchWriterTests {
    /// The writer's own commits never checkpoint; its checkpointer thread must, or every
    /// play would stay in an ever-growing WAL. Closing waits for the last checkpoint, so the
    /// database file itself then holds the data.
    @Test func committedBatchesReachTheDatabaseFileNotOnlyTheWAL() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try BotifyDatabase(path: path)
        let emptySize = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let writer = BatchSessionWriter(database: db, catalogFingerprint: "fp", batchPlays: 5_000)
        for i in 0..<2_000 { try writer.append(sampleLog(user: Int64(i % 50), plays: 20, start: Double(i))) }
        try writer.close()
        let pages = try RawDatabase(path).int("PRAGMA page_count")!
        let pageSize = try RawDatabase(path).int("PRAGMA page_size")!
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(pages * pageSize > emptySize + 1_000_000)
        #expect(fileSize == pages * pageSize)
        #expect(try db.integrityCheck() == "ok")
    }

    @Test func batchesCommitInAppendOrderWithCounts() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try BotifyDatabase(path: path)
        let commits = CommitLog()
        let writer = BatchSessionWriter(database: db, worldID: nil, catalogFingerprint: "fp", batchPlays: 20) { commits.add($0) }
        var logs: [SessionLog] = []
        for i in 0..<30 {
            let log = sampleLog(user: Int64(i % 7), plays: 1 + i % 6, experiment: "e", arm: i % 2 == 0 ? "A" : "B",
                                start: Double(i), firstTrack: Int32(i * 10))
            logs.append(log)
            #expect(try writer.append(log) == i)
        }
        try writer.close()
        #expect(throws: StorageError.writerClosed) { try writer.append(logs[0]) }

        let reports = commits.all
        #expect(reports.map(\.batch) == Array(0..<reports.count))
        #expect(reports.first?.sequence.lowerBound == 0 && reports.last?.sequence.upperBound == 30)
        for (a, b) in zip(reports, reports.dropFirst()) {
            #expect(a.sequence.upperBound == b.sequence.lowerBound)
            #expect(a.sessionIDs.upperBound < b.sessionIDs.lowerBound)
        }
        for report in reports {
            #expect(report.sessionIDs.count == report.sequence.count)
            #expect(report.plays == logs[report.sequence].reduce(0) { $0 + $1.plays.count })
            #expect(report.plays >= 20 || report.batch == reports.count - 1)
        }
        let totalPlays = logs.reduce(0) { $0 + $1.plays.count }
        #expect(writer.committed == (sessions: 30, plays: totalPlays))

        let summaries = try db.sessionSummaries()
        #expect(summaries.count == 30)
        for (summary, log) in zip(summaries, logs) {
            #expect(summary.user == log.user && summary.arm == log.arm && summary.startedAt == log.startedAt)
            #expect(summary.plays == log.plays.count && summary.skips == log.skipCount && summary.length == log.length)
            #expect(try db.plays(session: summary.id) == log.plays)
        }
        #expect(try db.sessionSummaries(SessionFilter(experiment: "e")).filter { $0.arm == "A" }.count == 15)
    }

    @Test func longSessionsWithChangingRecommendersRoundTrip() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = BatchSessionWriter(database: db, batchPlays: 100)
        var log = sampleLog(user: 1, plays: 75)  // three multi-row inserts: 32 + 32 + 11
        for i in log.plays.indices where i % 5 == 0 { log.plays[i].recommendedBy = i % 10 == 0 ? nil : "bandit/\(i)" }
        log.plays[3].fraction = 0.123456789
        try writer.append(log)
        try writer.append(sampleLog(user: 2, plays: 40, strategy: "als"))
        try writer.close()
        #expect(try db.plays(session: 1) == log.plays)
        #expect(try db.plays(session: 2) == sampleLog(user: 2, plays: 40, strategy: "als").plays)
    }

    @Test func foreignKeysAreCheckedAgainAfterABatch() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = BatchSessionWriter(database: db)
        try writer.append(sampleLog(user: 1, plays: 3))
        try writer.close()
        #expect(throws: (any Error).self) {
            try db.write { try $0.execute(sql: "INSERT INTO plays VALUES (999, 0, 1, 1.0, 'listened', NULL, 0)") }
        }
    }

    @Test func anUnknownWorldIsRefusedAndNothingIsAcknowledged() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let commits = CommitLog()
        let writer = BatchSessionWriter(database: db, worldID: 42) { commits.add($0) }
        try writer.append(sampleLog(user: 1, plays: 3))
        #expect(throws: StorageError.noSuchWorld(42)) { try writer.flush() }
        #expect(throws: StorageError.noSuchWorld(42)) { try writer.append(sampleLog(user: 1, plays: 3)) }
        #expect(commits.all.isEmpty)
        #expect(try RawDatabase(dir.file("db.sqlite")).int("SELECT count(*) FROM sessions") == 0)
    }

    @Test func acknowledgedBatchesAreVisibleToAnotherConnection() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try BotifyDatabase(path: path)
        let other = try BotifyDatabase(path: path)
        let seen = CommitLog()
        let misses = CommitLog()
        let writer = BatchSessionWriter(database: db, batchPlays: 10) { commit in
            // The callback fires after COMMIT: an independent pool must already see the rows.
            let count = (try? other.sessionSummaries().count) ?? -1
            (count >= commit.sequence.upperBound ? seen : misses).add(commit)
        }
        for i in 0..<40 { try writer.append(sampleLog(user: Int64(i), plays: 5)) }
        try writer.flush()
        #expect(misses.all.isEmpty)
        #expect(seen.all.count == 20)
        try writer.close()
    }

    @Test func aProducerThreadCanFeedTheWriter() async throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = BatchSessionWriter(database: db, batchPlays: 100, maxPendingBatches: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for producer in 0..<3 {
                group.addTask {
                    for i in 0..<200 { try writer.append(sampleLog(user: Int64(producer * 1000 + i), plays: 3)) }
                }
            }
            try await group.waitForAll()
        }
        try writer.close()
        #expect(writer.committed == (sessions: 600, plays: 1800))
        #expect(try db.sessionSummaries().count == 600)
    }

    @Test func twoPoolsWritingAtOnceLoseNothing() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let first = try BotifyDatabase(path: path)
        let second = try BotifyDatabase(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, db) in [first, second].enumerated() {
                group.addTask {
                    let writer = BatchSessionWriter(database: db, batchPlays: 50)
                    for i in 0..<300 { try writer.append(sampleLog(user: Int64(n * 10_000 + i), plays: 4)) }
                    try writer.close()
                }
                group.addTask {
                    let interactive = InteractiveSessionWriter(database: db)
                    for s in 0..<10 {
                        _ = try interactive.begin(SessionMeta(user: Int64(n), strategy: "random", source: .human,
                                                              startedAt: Double(s)))
                        for play in sampleLog(user: Int64(n), plays: 3).plays { try interactive.append(play) }
                        try interactive.finish(endedAt: Double(s) + 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        let raw = try RawDatabase(path)
        #expect(try raw.int("SELECT count(*) FROM sessions") == 2 * 310)
        #expect(try raw.int("SELECT count(*) FROM plays") == 2 * (300 * 4 + 10 * 3))
        #expect(try raw.int("SELECT count(*) FROM sessions WHERE ended_at IS NULL") == 0)
        #expect(try first.integrityCheck() == "ok")
    }
}
