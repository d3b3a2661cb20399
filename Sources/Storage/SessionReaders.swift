import Core
import GRDB

/// One session as stats and the History screen see it.
public struct SessionSummary: Sendable, Equatable, Codable {
    public var id: Int64
    public var user: Int64
    public var strategy: String
    public var source: ListenerSource
    public var experiment: String?
    public var arm: String?
    public var worldID: Int64?
    public var length: Double
    public var plays: Int
    public var skips: Int
    public var startedAt: Double
    /// nil while the session is open (a player is still writing it).
    public var endedAt: Double?
    /// true when crash recovery, not the player, ended it.
    public var recovered: Bool

    static let columns = """
        id, user_id, strategy, source, experiment, arm, world_id, length, plays, skips, started_at, ended_at, end_reason
        """

    init(row: Row) throws {
        id = row[0]
        user = row[1]
        strategy = row[2]
        let sourceText: String = row[3]
        guard let source = ListenerSource(rawValue: sourceText) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "session \(id): unknown source '\(sourceText)'")
        }
        self.source = source
        experiment = row[4]
        arm = row[5]
        worldID = row[6]
        length = row[7]
        plays = row[8]
        skips = row[9]
        startedAt = row[10]
        endedAt = row[11]
        recovered = (row[12] as String?) == "recovered"
    }

    static func fetch(_ db: Database, id: Int64) throws -> SessionSummary? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM sessions WHERE id = ?", arguments: [id]).map(SessionSummary.init(row:))
    }
}

/// Which sessions a reader returns; nil fields match everything.
public struct SessionFilter: Sendable, Equatable {
    public var experiment: String?
    public var strategy: String?
    public var source: ListenerSource?
    public var worldID: Int64?
    /// Open sessions (still being written) are left out of statistics unless asked for.
    public var includeOpen: Bool

    public init(experiment: String? = nil, strategy: String? = nil, source: ListenerSource? = nil,
                worldID: Int64? = nil, includeOpen: Bool = false) {
        self.experiment = experiment
        self.strategy = strategy
        self.source = source
        self.worldID = worldID
        self.includeOpen = includeOpen
    }

    var sql: (where: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let experiment { clauses.append("experiment = ?"); arguments += [experiment] }
        if let strategy { clauses.append("strategy = ?"); arguments += [strategy] }
        if let source { clauses.append("source = ?"); arguments += [source.rawValue] }
        if let worldID { clauses.append("world_id = ?"); arguments += [worldID] }
        if !includeOpen { clauses.append("ended_at IS NOT NULL") }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }
}

extension BotifyDatabase {
    /// Sessions matching `filter`, in id (logging) order.
    public func sessionSummaries(_ filter: SessionFilter = SessionFilter()) throws -> [SessionSummary] {
        let (clause, arguments) = filter.sql
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(SessionSummary.columns) FROM sessions \(clause) ORDER BY id",
                             arguments: arguments).map(SessionSummary.init(row:))
        }
    }

    /// One page of sessions, newest first, for the History screen: pass the last id of the
    /// previous page as `before` to get the next one (stable while new sessions arrive).
    public func sessions(before: Int64? = nil, limit: Int = 50, filter: SessionFilter = SessionFilter(includeOpen: true))
        throws -> [SessionSummary]
    {
        var (clause, arguments) = filter.sql
        if let before {
            clause += clause.isEmpty ? "WHERE id < ?" : " AND id < ?"
            arguments += [before]
        }
        arguments += [limit]
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(SessionSummary.columns) FROM sessions \(clause) ORDER BY id DESC LIMIT ?",
                             arguments: arguments).map(SessionSummary.init(row:))
        }
    }

    /// How many sessions match `filter` (the History screen's "position / total").
    public func sessionCount(_ filter: SessionFilter = SessionFilter()) throws -> Int {
        let (clause, arguments) = filter.sql
        return try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions \(clause)", arguments: arguments) ?? 0 }
    }

    public func session(id: Int64) throws -> SessionSummary? {
        try read { try SessionSummary.fetch($0, id: id) }
    }

    /// A session's plays in order.
    public func plays(session id: Int64) throws -> [Play] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT position, track, fraction, action, recommended_by, latency_us, liked
                FROM plays WHERE session_id = ? ORDER BY position
                """, arguments: [id]).map { try Play(row: $0, session: id) }
        }
    }

    /// The plays of several sessions in one read (a History page), each session's in order.
    public func plays(sessions ids: [Int64]) throws -> [Int64: [Play]] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: [Play]] = [:]
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT position, track, fraction, action, recommended_by, latency_us, liked, session_id
                FROM plays WHERE session_id IN (\(placeholders)) ORDER BY session_id, position
                """, arguments: StatementArguments(ids))
            while let row = try rows.next() {
                let session: Int64 = row[7]
                result[session, default: []].append(try Play(row: row, session: session))
            }
            return result
        }
    }

    /// The user's most recent `limit` plays from their ended player sessions (human or bot),
    /// oldest first — the `history` of the player's `RecommendationContext`. Headless `sim`
    /// sessions are experiment data, not the listener's history (and are not indexed by user).
    public func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.track, p.fraction FROM sessions s JOIN play_log p ON p.session_id = s.id
                WHERE s.user_id = ? AND s.source <> 'sim' AND s.ended_at IS NOT NULL
                ORDER BY s.id DESC, p.position DESC LIMIT ?
                """, arguments: [user, limit])
            return rows.reversed().map { (track: TrackID(truncatingIfNeeded: $0[0] as Int64), fraction: Float($0[1] as Double)) }
        }
    }
}

extension Play {
    init(row: Row, session: Int64) throws {
        let actionText: String = row[3]
        guard let outcome = PlayOutcome(rawValue: actionText) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "session \(session): unknown action '\(actionText)'")
        }
        self.init(position: Int32(truncatingIfNeeded: row[0] as Int64), track: TrackID(truncatingIfNeeded: row[1] as Int64),
                  fraction: Float(row[2] as Double), outcome: outcome, recommendedBy: row[4],
                  latencyMicros: Float(row[5] as Double), liked: row[6] as Bool)
    }
}
