import Core
import GRDB

/// The `sessions` row as `SessionSummary` (Core's type; its mapping to columns lives here, with
/// the schema), decoded by column name.
extension SessionSummary: FetchableRecord, TableRecord {
    public static let databaseTableName = "sessions"

    public static var databaseSelection: [any SQLSelectable] {
        ["id", "user_id", "strategy", "source", "experiment", "arm", "world_id", "length", "plays", "skips",
         "started_at", "ended_at", "end_reason"].map { Column($0) }
    }

    public init(row: Row) throws {
        let id: Int64 = row["id"]
        let sourceText: String = row["source"]
        guard let source = ListenerSource(rawValue: sourceText) else {
            throw DatabaseError(resultCode: .SQLITE_MISMATCH, message: "session \(id): unknown source '\(sourceText)'")
        }
        self.init(id: id, user: row["user_id"], strategy: row["strategy"], source: source, experiment: row["experiment"],
                  arm: row["arm"], worldID: row["world_id"], length: row["length"], plays: row["plays"],
                  skips: row["skips"], startedAt: row["started_at"], endedAt: row["ended_at"],
                  recovered: (row["end_reason"] as String?) == "recovered")
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

    /// The filter as a `WHERE …` clause (empty when it matches everything), for joins.
    var sql: (where: String, arguments: StatementArguments) {
        let (clauses, arguments) = predicates
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// The sessions request, filtered.
    var request: QueryInterfaceRequest<SessionSummary> {
        let (clauses, arguments) = predicates
        return clauses.isEmpty ? SessionSummary.all()
            : SessionSummary.filter(sql: clauses.joined(separator: " AND "), arguments: arguments)
    }

    private var predicates: ([String], StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let experiment { clauses.append("experiment = ?"); arguments += [experiment] }
        if let strategy { clauses.append("strategy = ?"); arguments += [strategy] }
        if let source { clauses.append("source = ?"); arguments += [source.rawValue] }
        if let worldID { clauses.append("world_id = ?"); arguments += [worldID] }
        if !includeOpen { clauses.append("ended_at IS NOT NULL") }
        return (clauses, arguments)
    }
}

extension BotifyDatabase {
    /// Sessions matching `filter`, in id (logging) order.
    public func sessionSummaries(_ filter: SessionFilter = SessionFilter()) throws -> [SessionSummary] {
        try read { try filter.request.order(Column("id")).fetchAll($0) }
    }

    /// One page of sessions, newest first, for the History screen: pass the last id of the
    /// previous page as `before` to get the next one (stable while new sessions arrive).
    public func sessions(before: Int64? = nil, limit: Int = 50, filter: SessionFilter = SessionFilter(includeOpen: true))
        throws -> [SessionSummary]
    {
        var request = filter.request
        if let before { request = request.filter(Column("id") < before) }
        return try read { try request.order(Column("id").desc).limit(limit).fetchAll($0) }
    }

    /// How many sessions match `filter` (the History screen's "position / total").
    public func sessionCount(_ filter: SessionFilter = SessionFilter()) throws -> Int {
        try read { try filter.request.fetchCount($0) }
    }

    public func session(id: Int64) throws -> SessionSummary? {
        try read { try SessionSummary.fetchOne($0, key: id) }
    }

    /// A session's plays in order.
    public func plays(session id: Int64) throws -> [Play] {
        try read { db in
            try Play.fetchAll(db, sql: "SELECT * FROM plays WHERE session_id = ? ORDER BY position", arguments: [id])
        }
    }

    /// The plays of several sessions in one read (a History page), each session's in order.
    public func plays(sessions ids: [Int64]) throws -> [Int64: [Play]] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: [Play]] = [:]
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT * FROM plays WHERE session_id IN (\(placeholders)) ORDER BY session_id, position
                """, arguments: StatementArguments(ids))
            while let row = try rows.next() {
                result[row["session_id"], default: []].append(try Play(row: row))
            }
            return result
        }
    }

    /// Why each play of these sessions was chosen, where the player wrote it (`play_log.reason`):
    /// session → play position → reason. Plays without one (headless, or older) are absent.
    public func playReasons(sessions ids: [Int64]) throws -> [Int64: [Int32: String]] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var result: [Int64: [Int32: String]] = [:]
            let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT session_id, position, reason FROM play_log WHERE session_id IN (\(placeholders)) AND reason IS NOT NULL
                """, arguments: StatementArguments(ids))
            while let row = try rows.next() {
                result[row["session_id"], default: [:]][Int32(truncatingIfNeeded: row["position"] as Int64)] = row["reason"]
            }
            return result
        }
    }

    /// The user's most recent `limit` plays from their ended player sessions (human or bot),
    /// oldest first — the `history` of the player's `RecommendationContext`. Headless `sim`
    /// sessions are experiment data, not the listener's history (and are not indexed by user).
    public func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)] {
        try read { db in
            try HeardTrack.fetchAll(db, sql: """
                SELECT p.track, p.fraction FROM sessions s JOIN play_log p ON p.session_id = s.id
                WHERE s.user_id = ? AND s.source <> 'sim' AND s.ended_at IS NOT NULL
                ORDER BY s.id DESC, p.position DESC LIMIT ?
                """, arguments: [user, limit]).reversed().map { (track: $0.track, fraction: $0.fraction) }
        }
    }
}

/// A row of the `plays` view (v1's columns, `liked` since v3) as Core's `Play`, by column name.
extension Play: FetchableRecord {
    public init(row: Row) throws {
        let actionText: String = row["action"]
        guard let outcome = PlayOutcome(rawValue: actionText) else {
            let session: Int64? = row["session_id"]
            throw DatabaseError(resultCode: .SQLITE_MISMATCH,
                                message: "session \(session.map(String.init) ?? "?"): unknown action '\(actionText)'")
        }
        self.init(position: Int32(truncatingIfNeeded: row["position"] as Int64),
                  track: TrackID(truncatingIfNeeded: row["track"] as Int64), fraction: Float(row["fraction"] as Double),
                  outcome: outcome, recommendedBy: row["recommended_by"],
                  latencyMicros: Float(row["latency_us"] as Double), liked: row["liked"])
    }
}

/// A track and how much of it was heard (`play_log.track`, `play_log.fraction`).
struct HeardTrack: FetchableRecord {
    var track: TrackID
    var fraction: Float

    init(row: Row) {
        track = TrackID(truncatingIfNeeded: row["track"] as Int64)
        fraction = Float(row["fraction"] as Double)
    }
}
