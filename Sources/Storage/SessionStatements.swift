import Core
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// What a session row says about where it came from, besides its plays.
public struct SessionMeta: Sendable, Equatable {
    public var user: Int64
    public var strategy: String
    public var source: ListenerSource
    public var experiment: String?
    public var arm: String?
    public var seed: UInt64?
    public var worldID: Int64?
    public var interestTrack: TrackID?
    public var catalogFingerprint: String?
    /// Seconds since 1970.
    public var startedAt: Double

    public init(user: Int64, strategy: String, source: ListenerSource, experiment: String? = nil, arm: String? = nil,
                seed: UInt64? = nil, worldID: Int64? = nil, interestTrack: TrackID? = nil,
                catalogFingerprint: String? = nil, startedAt: Double) {
        self.user = user
        self.strategy = strategy
        self.source = source
        self.experiment = experiment
        self.arm = arm
        self.seed = seed
        self.worldID = worldID
        self.interestTrack = interestTrack
        self.catalogFingerprint = catalogFingerprint
        self.startedAt = startedAt
    }

    public init(_ log: SessionLog, worldID: Int64? = nil, catalogFingerprint: String? = nil) {
        self.init(user: log.user, strategy: log.strategy, source: log.source, experiment: log.experiment, arm: log.arm,
                  seed: log.seed, worldID: worldID, interestTrack: log.interestTrack,
                  catalogFingerprint: catalogFingerprint, startedAt: log.startedAt)
    }
}

/// Totals a session row carries once ended (or so far, while open).
struct SessionTotals {
    var length: Double
    var plays: Int
    var skips: Int
    var endedAt: Double?
    var endReason: String?
    var ownerPID: Int32?
}

/// The inserts every logged session needs, bound through SQLite's C API: building GRDB
/// `StatementArguments` per play costs more than the insert itself at 1M plays/s. Plays go in
/// up to `rowsPerInsert` rows per statement, which spreads SQLite's per-statement work (open
/// cursors, check the schema, halt) over many rows. Valid for the one connection and
/// transaction it was made on.
final class SessionStatements {
    static let rowsPerInsert = 32
    private let db: Database
    private let connection: SQLiteConnection?
    private let user: Statement
    private let session: Statement
    /// Multi-row play inserts by row count, prepared on first use.
    private var plays: [Statement?] = Array(repeating: nil, count: rowsPerInsert + 1)
    /// `recommended_by` texts as C strings, alive until the transaction ends, so that every
    /// row binds without a copy (SQLITE_STATIC). There are a handful of strategies.
    private var recommenders: [String: UnsafeMutablePointer<CChar>] = [:]
    private var lastRecommender: (text: String, bytes: UnsafeMutablePointer<CChar>)?

    init(_ db: Database) throws {
        self.db = db
        connection = db.sqliteConnection
        user = try db.cachedStatement(sql: "INSERT OR IGNORE INTO users (id, created_at) VALUES (?, ?)")
        session = try db.cachedStatement(sql: """
            INSERT INTO sessions (user_id, strategy, source, experiment, arm, seed, world_id, interest_track,
                catalog_fingerprint, started_at, updated_at, ended_at, end_reason, owner_pid, length, plays, skips)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    deinit {
        // No statement may keep pointers into the buffers freed below.
        for statement in plays { if let statement { sqlite3_clear_bindings(statement.sqliteStatement) } }
        for bytes in recommenders.values { free(bytes) }
    }

    func insertUser(_ id: Int64, at time: Double) throws {
        let s = user.sqliteStatement
        sqlite3_bind_int64(s, 1, id)
        sqlite3_bind_double(s, 2, time)
        try step(s)
    }

    /// Inserts the session row and returns its id.
    func insertSession(_ meta: SessionMeta, totals: SessionTotals) throws -> Int64 {
        let s = session.sqliteStatement
        sqlite3_bind_int64(s, 1, meta.user)
        bind(s, 2, meta.strategy)
        bind(s, 3, meta.source.rawValue)
        bind(s, 4, meta.experiment)
        bind(s, 5, meta.arm)
        if let seed = meta.seed { sqlite3_bind_int64(s, 6, Int64(bitPattern: seed)) } else { sqlite3_bind_null(s, 6) }
        if let world = meta.worldID { sqlite3_bind_int64(s, 7, world) } else { sqlite3_bind_null(s, 7) }
        if let track = meta.interestTrack { sqlite3_bind_int64(s, 8, Int64(track)) } else { sqlite3_bind_null(s, 8) }
        bind(s, 9, meta.catalogFingerprint)
        sqlite3_bind_double(s, 10, meta.startedAt)
        sqlite3_bind_double(s, 11, totals.endedAt ?? meta.startedAt)
        if let ended = totals.endedAt { sqlite3_bind_double(s, 12, ended) } else { sqlite3_bind_null(s, 12) }
        bind(s, 13, totals.endReason)
        if let pid = totals.ownerPID { sqlite3_bind_int64(s, 14, Int64(pid)) } else { sqlite3_bind_null(s, 14) }
        sqlite3_bind_double(s, 15, totals.length)
        sqlite3_bind_int64(s, 16, Int64(totals.plays))
        sqlite3_bind_int64(s, 17, Int64(totals.skips))
        try step(s)
        return sqlite3_last_insert_rowid(connection)
    }

    /// Inserts a session's plays (or some of them), in order.
    func insertPlays(_ list: [Play], session id: Int64) throws {
        var start = 0
        while start < list.count {
            let rows = min(Self.rowsPerInsert, list.count - start)
            let s = try playStatement(rows: rows).sqliteStatement
            for row in 0..<rows {
                let p = list[start + row]
                let base = Int32(row * 7)
                sqlite3_bind_int64(s, base + 1, id)
                sqlite3_bind_int64(s, base + 2, Int64(p.position))
                sqlite3_bind_int64(s, base + 3, Int64(p.track))
                sqlite3_bind_double(s, base + 4, storedDecimal(p.fraction))
                let action = Self.actionText(p.outcome)
                sqlite3_bind_text(s, base + 5, UnsafeRawPointer(action.utf8Start).assumingMemoryBound(to: CChar.self),
                                  Int32(action.utf8CodeUnitCount), nil)
                if let text = p.recommendedBy {
                    sqlite3_bind_text(s, base + 6, recommender(text), -1, nil)
                } else {
                    sqlite3_bind_null(s, base + 6)
                }
                sqlite3_bind_double(s, base + 7, storedDecimal(p.latencyMicros))
            }
            try step(s)
            start += rows
        }
    }

    private func playStatement(rows: Int) throws -> Statement {
        if let statement = plays[rows] { return statement }
        let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: """
            INSERT INTO plays (session_id, position, track, fraction, action, recommended_by, latency_us) VALUES \(values)
            """)
        plays[rows] = statement
        return statement
    }

    private func recommender(_ text: String) -> UnsafeMutablePointer<CChar> {
        if let last = lastRecommender, last.text == text { return last.bytes }
        let bytes = recommenders[text] ?? {
            let copy = strdup(text)!
            recommenders[text] = copy
            return copy
        }()
        lastRecommender = (text, bytes)
        return bytes
    }

    // Static strings need no copy: SQLite may keep the pointer (nil destructor = SQLITE_STATIC).
    private static func actionText(_ outcome: PlayOutcome) -> StaticString {
        switch outcome {
        case .listened: "listened"
        case .skipped: "skipped"
        case .abandoned: "abandoned"
        }
    }

    private func bind(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(s, index)
            return
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the pointer goes away.
        _ = sqlite3_bind_text(s, index, text, -1, Self.transient)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func step(_ s: SQLiteStatement) throws {
        let code = sqlite3_step(s)
        guard code == SQLITE_DONE else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(s)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
        sqlite3_reset(s)
    }
}
