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
            let cursor = try LoggedPlay.fetchCursor(statement, arguments: arguments)
            var out: [ListeningSession] = []
            while let play = try cursor.next() {
                if out.last?.sessionID != play.session {
                    out.append(ListeningSession(sessionID: play.session, user: play.user, tracks: [], fractions: []))
                }
                out[out.count - 1].tracks.append(play.heard.track)
                out[out.count - 1].fractions.append(play.heard.fraction)
            }
            return out
        }
    }
}

/// One logged play with its session and user, as trainers read them.
private struct LoggedPlay: FetchableRecord {
    var session: Int64
    var user: Int64
    var heard: HeardTrack

    init(row: Row) {
        session = row["session_id"]
        user = row["user_id"]
        heard = HeardTrack(row: row)
    }
}
