import Core
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
            let rows = try RecommendedShare.fetchCursor(db, sql: """
                SELECT p.session_id, r.name AS recommender, COUNT(*) AS plays, SUM(p.fraction) AS heard
                FROM sessions s JOIN play_log p ON p.session_id = s.id JOIN recommenders r ON r.id = p.recommender_id
                \(clause) GROUP BY p.session_id, r.name
                """, arguments: arguments)
            while let share = try rows.next() {
                result[share.session, default: [:]][share.recommender] = (plays: share.plays, heard: share.heard)
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
            let rows = try UserMeanLength.fetchCursor(db, sql: """
                SELECT user_id, AVG(length) AS mean_length FROM sessions
                WHERE world_id = ? AND id < ? AND ended_at IS NOT NULL AND (experiment IS NULL OR experiment <> ?)
                GROUP BY user_id
                """, arguments: [worldID, before, experiment])
            while let user = try rows.next() { result[user.user] = user.meanLength }
            return result
        }
    }

    /// CUPED's pre-period for `experiment`, whose logged sessions are `sessions`: its users'
    /// ended sessions on the same world before the experiment's first session (empty without a
    /// world or sessions). `botify stats` and the Stats screen both read it this way, so their
    /// experiment reports show the same figures.
    public func prePeriod(of experiment: ExperimentRecord, sessions: [SessionSummary]) throws -> [Int64: Double] {
        guard let worldID = experiment.worldID, let first = sessions.map(\.id).min() else { return [:] }
        return try prePeriodMeanLengths(worldID: worldID, before: first, excludingExperiment: experiment.name)
    }
}

/// One session's plays chosen by one recommender (a row of `recommendedPlays`' query).
private struct RecommendedShare: FetchableRecord {
    var session: Int64
    var recommender: String
    var plays: Int
    var heard: Double

    init(row: Row) {
        session = row["session_id"]
        recommender = row["recommender"]
        plays = row["plays"]
        heard = row["heard"]
    }
}

/// A user's mean session length (a row of `prePeriodMeanLengths`' query).
private struct UserMeanLength: FetchableRecord {
    var user: Int64
    var meanLength: Double

    init(row: Row) {
        user = row["user_id"]
        meanLength = row["mean_length"]
    }
}
