import Core
import Foundation
import GRDB

/// The player's log writer: one open session at a time, each play committed as it ends.
/// `append` returning is the acknowledgement — the play is in the WAL and survives a crash.
/// A session's row says `ended_at NULL` until `finish`, so a crashed session never looks
/// finished; `recoverOpenSessions` closes those left behind by dead processes.
public final class InteractiveSessionWriter: @unchecked Sendable {
    private let database: BotifyDatabase
    private let lock = NSLock()
    private var open: (id: Int64, nextPosition: Int32)?

    public init(database: BotifyDatabase) {
        self.database = database
    }

    /// The id of the open session, if any.
    public var currentSession: Int64? {
        lock.withLock { open?.id }
    }

    /// Starts a session (its row is committed at once, marked open) and returns its id.
    public func begin(_ meta: SessionMeta) throws -> Int64 {
        try lock.withLock {
            if let open { throw StorageError.sessionAlreadyOpen(open.id) }
            let pid = ProcessInfo.processInfo.processIdentifier
            let id = try database.write { db in
                let statements = try SessionStatements(db)
                try statements.insertUser(meta.user, at: meta.startedAt)
                return try statements.insertSession(meta, totals: SessionTotals(length: 0, plays: 0, skips: 0, ownerPID: pid))
            }
            open = (id, 0)
            return id
        }
    }

    /// Commits one finished play, why it was chosen (`play_log.reason`: the strategy's why-text,
    /// "from your queue", "your pick"), and the session's running totals, before returning.
    /// Positions must follow on: 0, 1, 2, …
    public func append(_ play: Play, reason: String? = nil, at time: Double = Date().timeIntervalSince1970) throws {
        try lock.withLock {
            guard let current = open else { throw StorageError.noOpenSession }
            guard play.position == current.nextPosition else {
                throw StorageError.outOfOrder(session: current.id, expected: current.nextPosition, got: play.position)
            }
            try database.write { db in
                // The same insert the batch writer uses, `liked` included.
                try SessionStatements(db).insertPlays([play], session: current.id)
                // Set apart from the shared insert, which the batch path keeps as it is.
                if let reason {
                    try db.execute(sql: "UPDATE play_log SET reason = ? WHERE session_id = ? AND position = ?",
                                   arguments: [reason, current.id, play.position])
                }
                try db.execute(sql: """
                    UPDATE sessions SET length = round(length + ?, 6), plays = plays + 1, skips = skips + ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [storedDecimal(play.fraction), play.fraction < 1 ? 1 : 0, time, current.id])
            }
            open = (current.id, current.nextPosition + 1)
        }
    }

    /// Marks the open session ended and returns its summary.
    @discardableResult
    public func finish(endedAt: Double = Date().timeIntervalSince1970) throws -> SessionSummary {
        try lock.withLock {
            guard let current = open else { throw StorageError.noOpenSession }
            let summary = try database.write { db in
                try db.execute(sql: """
                    UPDATE sessions SET ended_at = ?, updated_at = ?, end_reason = 'finished', owner_pid = NULL
                    WHERE id = ?
                    """, arguments: [endedAt, endedAt, current.id])
                return try SessionSummary.fetchOne(db, key: current.id)
            }
            open = nil
            guard let summary else { throw StorageError.noSuchSession(current.id) }
            return summary
        }
    }

    /// Ends every open session whose writing process is gone (a crash, a kill). Its recorded
    /// plays stand; it ends at its last recorded play, with `end_reason = 'recovered'`.
    /// Sessions open in live processes — another player sharing the file — are left alone.
    @discardableResult
    public func recoverOpenSessions() throws -> [Int64] {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, owner_pid FROM sessions WHERE ended_at IS NULL")
            var recovered: [Int64] = []
            for row in rows {
                let id: Int64 = row["id"]
                let pid: Int32? = row["owner_pid"]
                if let pid, Self.isAlive(pid) { continue }
                try db.execute(sql: """
                    UPDATE sessions SET ended_at = updated_at, end_reason = 'recovered', owner_pid = NULL WHERE id = ?
                    """, arguments: [id])
                recovered.append(id)
            }
            return recovered
        }
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        // Signal 0 checks existence; EPERM means alive but not ours.
        kill(pid, 0) == 0 || errno == EPERM
    }
}

/// Misuse of a writer (a programming error in the caller, not bad input).
public enum StorageError: Error, CustomStringConvertible, Equatable {
    case sessionAlreadyOpen(Int64)
    case noOpenSession
    case noSuchSession(Int64)
    case outOfOrder(session: Int64, expected: Int32, got: Int32)
    case writerClosed
    case noSuchWorld(Int64)

    public var description: String {
        switch self {
        case .sessionAlreadyOpen(let id): "session \(id) is still open; finish it before beginning another"
        case .noOpenSession: "no session is open"
        case .noSuchSession(let id): "no session \(id) in the database"
        case .outOfOrder(let id, let expected, let got): "session \(id): expected play position \(expected), got \(got)"
        case .writerClosed: "the batch writer is closed"
        case .noSuchWorld(let id): "no world \(id) in the database; save it with WorldStore first"
        }
    }
}
