import Core
import Foundation
import GRDB

/// One committed batch: everything in it is durable (COMMIT had returned before it was made).
public struct BatchCommit: Sendable, Equatable {
    /// 0, 1, 2, … in commit order (which is append order).
    public var batch: Int
    /// Append-order numbers (as returned by `append`) of the sessions in this batch.
    public var sequence: Range<Int>
    /// Database ids given to those sessions, in the same order (contiguous: the batch held
    /// the write lock while inserting).
    public var sessionIDs: ClosedRange<Int64>
    public var plays: Int
}

/// The headless simulator's log writer (Core's `SessionSink`). Producers `append` finished `SessionLog`s from any
/// thread; a writer thread commits them in batches of about `batchPlays` plays (a session is
/// never split), one transaction each, in append order. A session is acknowledged only when
/// `onCommit` reports its batch — called on the writer thread after COMMIT has returned — or
/// when `flush()` returns. `append` blocks while `maxPendingBatches` batches wait, so a fast
/// producer cannot outrun the disk without bound. After a failed commit the writer stops:
/// that batch and later ones are not acknowledged, and `append`/`flush` rethrow the error.
/// Rows go in through `SessionStatements`, SQLite's C API: the one place Storage skips GRDB
/// records, because per-row `StatementArguments` would cost more than the ≥1M plays/s path allows.
public final class BatchSessionWriter: Sendable, SessionSink {
    private let state: BatchState

    public init(database: BotifyDatabase, worldID: Int64? = nil, catalogFingerprint: String? = nil,
                batchPlays: Int = 50_000, maxPendingBatches: Int = 2,
                onCommit: (@Sendable (BatchCommit) -> Void)? = nil) {
        state = BatchState(batchPlays: max(1, batchPlays), maxPending: max(1, maxPendingBatches))
        let committer = BatchCommitter(database: database, worldID: worldID, catalogFingerprint: catalogFingerprint)
        let checkpointer = WALCheckpointer(path: database.path)
        let state = self.state
        let thread = Thread {
            state.run(committer, checkpointer: checkpointer, onCommit: onCommit)
            checkpointer.close()
            state.finish()
        }
        thread.name = "botify.batch-writer"
        thread.start()
    }

    deinit {
        // Whatever was appended still gets written; nobody waits for it.
        state.close(wait: false)
    }

    /// Queues a finished session and returns its append-order number.
    @discardableResult
    public func append(_ log: SessionLog) throws -> Int {
        try state.append(log)
    }

    /// Commits everything appended so far and returns once it is durable.
    public func flush() throws {
        try state.flush()
    }

    /// Flushes, then stops the writer thread. Appending afterwards throws.
    public func close() throws {
        try state.flush()
        state.close(wait: true)
    }

    /// Sessions and plays committed so far.
    public var committed: (sessions: Int, plays: Int) {
        state.committedTotals
    }
}

/// The queue between producers and the writer thread, guarded by one condition variable.
private final class BatchState: @unchecked Sendable {
    struct Batch {
        var index: Int
        var firstSequence: Int
        var logs: [SessionLog]
        var plays: Int
    }

    private let condition = NSCondition()
    private let batchPlays: Int
    private let maxPending: Int
    private var current: [SessionLog] = []
    private var currentPlays = 0
    private var nextSequence = 0
    private var nextBatch = 0
    private var pending: [Batch] = []
    private var busy = false
    private var closed = false
    private var finished = false
    private var failure: (any Error)?
    private var sessions = 0
    private var plays = 0

    init(batchPlays: Int, maxPending: Int) {
        self.batchPlays = batchPlays
        self.maxPending = maxPending
    }

    var committedTotals: (sessions: Int, plays: Int) {
        condition.withLock { (sessions, plays) }
    }

    func append(_ log: SessionLog) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        if closed { throw StorageError.writerClosed }
        let sequence = nextSequence
        nextSequence += 1
        current.append(log)
        currentPlays += log.plays.count
        if currentPlays >= batchPlays {
            while pending.count >= maxPending && failure == nil { condition.wait() }
            if let failure { throw failure }
            // Another producer may have sealed `current` (this log included) while this one
            // waited: sealing again would queue an empty batch.
            if currentPlays >= batchPlays { seal() }
        }
        return sequence
    }

    func flush() throws {
        condition.lock()
        defer { condition.unlock() }
        if !current.isEmpty && failure == nil && !closed { seal() }
        while (!pending.isEmpty || busy) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    func close(wait: Bool) {
        condition.lock()
        defer { condition.unlock() }
        if !current.isEmpty && failure == nil && !closed { seal() }
        closed = true
        condition.broadcast()
        while wait && !finished { condition.wait() }
    }

    /// The writer thread is done: `close(wait: true)` may return.
    func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    /// Caller holds the lock.
    private func seal() {
        pending.append(Batch(index: nextBatch, firstSequence: nextSequence - current.count, logs: current, plays: currentPlays))
        nextBatch += 1
        current = []
        currentPlays = 0
        condition.broadcast()
    }

    /// The writer thread's loop.
    func run(_ committer: BatchCommitter, checkpointer: WALCheckpointer, onCommit: (@Sendable (BatchCommit) -> Void)?) {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty || failure != nil {
                condition.unlock()
                return
            }
            let batch = pending.removeFirst()
            busy = true
            condition.broadcast()  // room for a blocked producer
            condition.unlock()

            let result = Result { try committer.commit(batch.logs) }
            if case .success(let ids) = result {
                checkpointer.request()
                onCommit?(BatchCommit(batch: batch.index,
                                      sequence: batch.firstSequence..<(batch.firstSequence + batch.logs.count),
                                      sessionIDs: ids, plays: batch.plays))
            }

            condition.lock()
            busy = false
            switch result {
            case .success:
                sessions += batch.logs.count
                plays += batch.plays
            case .failure(let error):
                failure = error
                pending.removeAll()
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Writes one batch in one transaction on the pool's writer connection. Used only by the
/// writer thread, so the users it has seen committed need no lock.
private final class BatchCommitter: @unchecked Sendable {
    let database: BotifyDatabase
    let worldID: Int64?
    let catalogFingerprint: String?
    private var knownUsers = Set<Int64>()
    private var worldChecked = false

    init(database: BotifyDatabase, worldID: Int64?, catalogFingerprint: String?) {
        self.database = database
        self.worldID = worldID
        self.catalogFingerprint = catalogFingerprint
    }

    /// Returns the ids given to the batch's sessions once COMMIT has returned.
    func commit(_ logs: [SessionLog]) throws -> ClosedRange<Int64> {
        var newUsers = Set<Int64>()
        let ids: ClosedRange<Int64> = try database.writeTrustingReferences { db in
            if let worldID, !worldChecked {
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM worlds WHERE id = ?)", arguments: [worldID]) == true
                else { throw StorageError.noSuchWorld(worldID) }
            }
            let statements = try SessionStatements(db)
            // The write lock is held from here to COMMIT, so max(id) + 1… are this batch's ids.
            let firstID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM sessions")!
            var sessions: [NumberedSession] = []
            sessions.reserveCapacity(logs.count)
            for (offset, log) in logs.enumerated() {
                if !knownUsers.contains(log.user) && newUsers.insert(log.user).inserted {
                    try statements.insertUser(log.user, at: log.startedAt)
                }
                let length = storedLength(log.plays.reduce(0) { $0 + storedDecimal($1.fraction) })
                let totals = SessionTotals(length: length, plays: log.plays.count, skips: log.skipCount,
                                           endedAt: log.endedAt, endReason: "finished")
                sessions.append(NumberedSession(id: firstID + Int64(offset),
                                                meta: SessionMeta(log, worldID: worldID, catalogFingerprint: catalogFingerprint),
                                                totals: totals))
            }
            try statements.insertSessions(sessions)
            try statements.insertPlays(of: logs, firstID: firstID)
            return firstID...(firstID + Int64(logs.count) - 1)
        }
        knownUsers.formUnion(newUsers)
        worldChecked = true
        return ids
    }
}
