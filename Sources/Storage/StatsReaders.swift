import GRDB

extension BotifyDatabase {
    /// For each matching player (human or bot) session: how many plays each recommender chose
    /// and how much of them was heard, from `play_log`. Headless sessions are left out: one
    /// strategy chooses every play after the first by construction, and reading their millions
    /// of plays would cost seconds for nothing.
    public func recommendedPlays(_ filter: SessionFilter = SessionFilter()) throws -> [Int64: [String: (plays: Int, heard: Double)]] {
        var (clause, arguments) = filter.sql
        clause += (clause.isEmpty ? "WHERE " : " AND ") + "s.source <> 'sim'"
        return try read { db in
            var result: [Int64: [String: (plays: Int, heard: Double)]] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.session_id, r.name, COUNT(*), SUM(p.fraction)
                FROM sessions s JOIN play_log p ON p.session_id = s.id JOIN recommenders r ON r.id = p.recommender_id
                \(clause) GROUP BY p.session_id, r.name
                """, arguments: arguments)
            while let row = try rows.next() {
                result[row[0], default: [:]][row[1]] = (plays: row[2], heard: row[3])
            }
            return result
        }
    }

    /// Each user's mean session length over their ended sessions on `worldID` logged before
    /// session `before` and outside `experiment`: the pre-period covariate of CUPED.
    public func prePeriodMeanLengths(worldID: Int64, before: Int64, excludingExperiment experiment: String)
        throws -> [Int64: Double]
    {
        try read { db in
            var result: [Int64: Double] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT user_id, AVG(length) FROM sessions
                WHERE world_id = ? AND id < ? AND ended_at IS NOT NULL AND (experiment IS NULL OR experiment <> ?)
                GROUP BY user_id
                """, arguments: [worldID, before, experiment])
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }
}
