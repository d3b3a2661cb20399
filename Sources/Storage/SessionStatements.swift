import Core
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// What a session row says about where it came from, besides its plays: the session's
/// `SessionHeader` (the fields a `SessionLog` has too), the world it ran on and the catalog.
@dynamicMemberLookup
public struct SessionMeta: Sendable, Equatable {
    public var header: SessionHeader
    public var worldID: Int64?
    public var catalogFingerprint: String?

    public init(user: Int64, strategy: String, source: ListenerSource, experiment: String? = nil, arm: String? = nil,
                seed: UInt64? = nil, worldID: Int64? = nil, interestTrack: TrackID? = nil,
                catalogFingerprint: String? = nil, startedAt: Double) {
        header = SessionHeader(user: user, strategy: strategy, source: source, experiment: experiment, arm: arm,
                               seed: seed, interestTrack: interestTrack, startedAt: startedAt)
        self.worldID = worldID
        self.catalogFingerprint = catalogFingerprint
    }

    public init(_ log: SessionLog, worldID: Int64? = nil, catalogFingerprint: String? = nil) {
        header = log.header
        self.worldID = worldID
        self.catalogFingerprint = catalogFingerprint
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<SessionHeader, T>) -> T {
        get { header[keyPath: field] }
        set { header[keyPath: field] = newValue }
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

/// A session row to insert with an id the caller chose (the batch writer numbers its sessions
/// from max(id) + 1 while it holds the write lock).
struct NumberedSession {
    var id: Int64
    var meta: SessionMeta
    var totals: SessionTotals
}

/// The inserts every logged session needs — the player's one play at a time and the batch
/// writer's thousands alike, so both write the same columns (`liked` included) — bound through
/// SQLite's C API, the one place Storage does not go through GRDB records: building GRDB
/// `StatementArguments` per play costs more than the insert itself at 1M plays/s. Rows go in
/// several per statement (up to `sessionsPerInsert` sessions, `playsPerInsert` plays, plays of
/// consecutive sessions sharing a statement), which spreads SQLite's per-statement work (open
/// cursors, check the schema, halt) over many rows. Valid for the one connection and
/// transaction it was made on: the recommender ids it caches are only known to exist there.
final class SessionStatements {
    static let sessionsPerInsert = 16
    static let playsPerInsert = 32
    private static let sessionColumns = 18
    private static let playColumns = 8

    private let db: Database
    private let connection: SQLiteConnection?
    private let user: Statement
    private let session: Statement
    /// Multi-row inserts by row count, prepared on first use.
    private var numberedSessions: [Statement?] = Array(repeating: nil, count: sessionsPerInsert + 1)
    private var plays: [Statement?] = Array(repeating: nil, count: playsPerInsert + 1)
    /// `recommenders.id` by name; a handful of strategies per transaction.
    private var recommenderIDs: [String: Int64] = [:]
    private var lastRecommender: (name: String, id: Int64)?
    /// Session texts (strategy, source, experiment, …) repeat across a batch: each is copied
    /// to C once and bound without a copy (SQLITE_STATIC), until `deinit` unbinds and frees.
    private var texts: [String: UnsafeMutablePointer<CChar>] = [:]

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
        // SQLite may keep pointers into the texts until their parameters are bound again.
        for statement in [session] + numberedSessions.compactMap({ $0 }) {
            sqlite3_clear_bindings(statement.sqliteStatement)
        }
        for bytes in texts.values { free(bytes) }
    }

    func insertUser(_ id: Int64, at time: Double) throws {
        let s = user.sqliteStatement
        sqlite3_bind_int64(s, 1, id)
        sqlite3_bind_double(s, 2, time)
        try step(s)
    }

    /// Inserts one session row, numbered by SQLite, and returns its id.
    func insertSession(_ meta: SessionMeta, totals: SessionTotals) throws -> Int64 {
        let s = session.sqliteStatement
        bindSession(s, from: 1, meta, totals)
        try step(s)
        return sqlite3_last_insert_rowid(connection)
    }

    /// Inserts session rows with the ids they carry, in order.
    func insertSessions(_ rows: [NumberedSession]) throws {
        var start = 0
        while start < rows.count {
            let count = min(Self.sessionsPerInsert, rows.count - start)
            let s = try numberedSessionStatement(rows: count).sqliteStatement
            for row in 0..<count {
                let base = Int32(row * Self.sessionColumns)
                let r = rows[start + row]
                sqlite3_bind_int64(s, base + 1, r.id)
                bindSession(s, from: base + 2, r.meta, r.totals)
            }
            try step(s)
            start += count
        }
    }

    /// Inserts one session's plays, in order.
    func insertPlays(_ list: [Play], session id: Int64) throws {
        try insertPlays(CollectionOfOne((id, list)), total: list.count)
    }

    /// Inserts every play of `logs`, whose sessions have the ids `firstID`, `firstID + 1`, ….
    func insertPlays(of logs: [SessionLog], firstID: Int64) throws {
        try insertPlays(logs.lazy.enumerated().map { (firstID + Int64($0.offset), $0.element.plays) },
                        total: logs.reduce(0) { $0 + $1.plays.count })
    }

    /// `total` plays of consecutive sessions, a statement's rows running on from one session
    /// into the next.
    private func insertPlays(_ sessions: some Sequence<(Int64, [Play])>, total: Int) throws {
        guard total > 0 else { return }
        var remaining = total
        var rowsInStatement = min(Self.playsPerInsert, remaining)
        var s = try playStatement(rows: rowsInStatement).sqliteStatement
        var row = 0
        for (id, plays) in sessions {
            for play in plays {
                try bindPlay(s, Int32(row * Self.playColumns), session: id, play)
                row += 1
                guard row == rowsInStatement else { continue }
                try step(s)
                remaining -= row
                row = 0
                guard remaining > 0 else { return }
                rowsInStatement = min(Self.playsPerInsert, remaining)
                s = try playStatement(rows: rowsInStatement).sqliteStatement
            }
        }
    }

    @inline(__always)
    private func bindPlay(_ s: SQLiteStatement, _ base: Int32, session: Int64, _ p: Play) throws {
        sqlite3_bind_int64(s, base + 1, session)
        sqlite3_bind_int64(s, base + 2, Int64(p.position))
        sqlite3_bind_int64(s, base + 3, Int64(p.track))
        sqlite3_bind_double(s, base + 4, storedDecimal(p.fraction))
        sqlite3_bind_int64(s, base + 5, Self.actionCode(p.outcome))
        if let name = p.recommendedBy {
            sqlite3_bind_int64(s, base + 6, try recommenderID(name))
        } else {
            sqlite3_bind_null(s, base + 6)
        }
        sqlite3_bind_int64(s, base + 7, storedNanoseconds(p.latencyMicros))
        sqlite3_bind_int64(s, base + 8, p.liked ? 1 : 0)
    }

    /// Binds the 17 columns after `id` of a session row, starting at parameter `first`.
    private func bindSession(_ s: SQLiteStatement, from first: Int32, _ row: SessionMeta, _ totals: SessionTotals) {
        let meta = row.header, worldID = row.worldID, catalogFingerprint = row.catalogFingerprint
        sqlite3_bind_int64(s, first, meta.user)
        bind(s, first + 1, meta.strategy)
        bind(s, first + 2, meta.source.rawValue)
        bind(s, first + 3, meta.experiment)
        bind(s, first + 4, meta.arm)
        bind(s, first + 5, meta.seed.map { Int64(bitPattern: $0) })
        bind(s, first + 6, worldID)
        bind(s, first + 7, meta.interestTrack.map(Int64.init))
        bind(s, first + 8, catalogFingerprint)
        sqlite3_bind_double(s, first + 9, meta.startedAt)
        sqlite3_bind_double(s, first + 10, totals.endedAt ?? meta.startedAt)
        if let ended = totals.endedAt { sqlite3_bind_double(s, first + 11, ended) } else { sqlite3_bind_null(s, first + 11) }
        bind(s, first + 12, totals.endReason)
        bind(s, first + 13, totals.ownerPID.map(Int64.init))
        sqlite3_bind_double(s, first + 14, totals.length)
        sqlite3_bind_int64(s, first + 15, Int64(totals.plays))
        sqlite3_bind_int64(s, first + 16, Int64(totals.skips))
    }

    private func numberedSessionStatement(rows: Int) throws -> Statement {
        try multiRowInsert(&numberedSessions, rows: rows, columns: Self.sessionColumns, into: """
            sessions (id, user_id, strategy, source, experiment, arm, seed, world_id, interest_track,
                catalog_fingerprint, started_at, updated_at, ended_at, end_reason, owner_pid, length, plays, skips)
            """)
    }

    private func playStatement(rows: Int) throws -> Statement {
        try multiRowInsert(&plays, rows: rows, columns: Self.playColumns,
                           into: "play_log (session_id, position, track, fraction, action, recommender_id, latency_ns, liked)")
    }

    /// `INSERT INTO target VALUES (?, …), …` for `rows` rows, prepared once per row count.
    private func multiRowInsert(_ cache: inout [Statement?], rows: Int, columns: Int, into target: String) throws -> Statement {
        if let statement = cache[rows] { return statement }
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let statement = try db.cachedStatement(sql: "INSERT INTO \(target) VALUES " + Array(repeating: row, count: rows).joined(separator: ", "))
        cache[rows] = statement
        return statement
    }

    /// The id of a recommender name, adding the name on first sight.
    private func recommenderID(_ name: String) throws -> Int64 {
        if let last = lastRecommender, last.name == name { return last.id }
        let id = try recommenderIDs[name] ?? {
            try db.execute(sql: "INSERT OR IGNORE INTO recommenders (name) VALUES (?)", arguments: [name])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM recommenders WHERE name = ?", arguments: [name])!
            recommenderIDs[name] = id
            return id
        }()
        lastRecommender = (name, id)
        return id
    }

    /// The codes of `play_log.action`, spelled out again by the `plays` view.
    static func actionCode(_ outcome: PlayOutcome) -> Int64 {
        switch outcome {
        case .listened: 0
        case .skipped: 1
        case .abandoned: 2
        }
    }

    private func bind(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(s, index)
            return
        }
        let bytes = texts[text] ?? {
            let copy = strdup(text)!
            texts[text] = copy
            return copy
        }()
        sqlite3_bind_text(s, index, bytes, -1, nil)  // nil destructor: SQLITE_STATIC
    }

    private func bind(_ s: SQLiteStatement, _ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(s, index, value) } else { sqlite3_bind_null(s, index) }
    }

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
