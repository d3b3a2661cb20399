import Core
import GRDB

/// Trainers read logged plays through Core's `InteractionSource`; they never see SQL.
/// Only ended sessions are returned (an open one is still growing), in session order.
extension BotifyDatabase: InteractionSource {
    public func sessions(matching filter: InteractionFilter) throws -> [ListeningSession] {
        if filter.sources.isEmpty { return [] }
        var clauses = ["s.ended_at IS NOT NULL"]
        var arguments = StatementArguments()
        if filter.sources != Set(ListenerSource.allCases) {
            let sources = filter.sources.map(\.rawValue).sorted()
            clauses.append("s.source IN (\(Array(repeating: "?", count: sources.count).joined(separator: ", ")))")
            arguments += StatementArguments(sources)
        }
        if let range = filter.sessionIDs {
            clauses.append("p.session_id BETWEEN ? AND ?")
            arguments += [range.lowerBound, range.upperBound]
        }
        return try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT p.session_id, s.user_id, p.track, p.fraction
                FROM play_log p JOIN sessions s ON s.id = p.session_id
                WHERE \(clauses.joined(separator: " AND "))
                ORDER BY p.session_id, p.position
                """)
            let cursor = try Row.fetchCursor(statement, arguments: arguments)
            var out: [ListeningSession] = []
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                if out.last?.sessionID != id {
                    out.append(ListeningSession(sessionID: id, user: row[1], tracks: [], fractions: []))
                }
                out[out.count - 1].tracks.append(TrackID(truncatingIfNeeded: row[2] as Int64))
                out[out.count - 1].fractions.append(Float(row[3] as Double))
            }
            return out
        }
    }
}
