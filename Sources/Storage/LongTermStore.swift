import Core
import Foundation
import GRDB

/// Multi-day runs' reports (`long_term_runs`, `long_term_days`, `long_term_arms`, migration v10).
public struct LongTermStore: Sendable {
    let database: BotifyDatabase

    /// Stores `run` (its id is ignored) and, when given, the experiment's record, in one
    /// transaction: both are there or neither is. Returns the run's id.
    @discardableResult
    public func save(_ run: LongTermRun, experiment: ExperimentRecord? = nil) throws -> Int64 {
        try database.write { db in
            if let experiment { try experiment.insert(db, onConflict: .replace) }
            var header = LongTermRunRow(run)
            try header.insert(db)
            let id = header.id!
            let armIndex = Dictionary(run.arms.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for day in run.daily {
                guard let index = armIndex[day.arm] else {
                    throw InputError(field: "arm", value: day.arm, "a day of the long-term report names no arm of the run")
                }
                try LongTermDayRow(run: id, armIndex: index, day).insert(db)
            }
            for total in run.totals {
                guard let index = armIndex[total.arm] else {
                    throw InputError(field: "arm", value: total.arm, "an arm total of the long-term report names no arm of the run")
                }
                try LongTermArmRow(run: id, armIndex: index, total).insert(db)
            }
            return id
        }
    }

    /// Every stored run, newest first, without its series (`daily` and `totals` empty).
    public func all() throws -> [LongTermRun] {
        try database.read { db in
            try LongTermRunRow.order(Column("created_at").desc, Column("id").desc).fetchAll(db).map { $0.run() }
        }
    }

    /// The run with `id` and its series; nil if there is none.
    public func load(id: Int64) throws -> LongTermRun? {
        try database.read { db in
            guard let header = try LongTermRunRow.fetchOne(db, key: id) else { return nil }
            var run = header.run()
            run.daily = try LongTermDayRow.filter(Column("run_id") == id).order(Column("day"), Column("arm_index"))
                .fetchAll(db).map { try $0.day(arms: run.arms) }
            run.totals = try LongTermArmRow.filter(Column("run_id") == id).order(Column("arm_index"))
                .fetchAll(db).map { try $0.total(arms: run.arms) }
            return run
        }
    }

    /// Deletes the runs of `experiment` in `db`'s transaction (`ExperimentStore.delete`).
    static func delete(experiment: String, in db: Database) throws {
        try db.execute(sql: "DELETE FROM long_term_runs WHERE experiment = ?", arguments: [experiment])
    }
}

extension BotifyDatabase {
    public var longTermRuns: LongTermStore { LongTermStore(database: self) }
}

/// NULL in SQLite (where NaN is stored as NULL anyway) is NaN in the report.
private func figure(_ row: Row, _ column: String) -> Double { (row[column] as Double?) ?? .nan }
private func stored(_ x: Double) -> Double? { x.isNaN ? nil : x }

/// A `long_term_runs` row. Arms are a JSON array; the seed is stored as its Int64 bit pattern.
private struct LongTermRunRow: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "long_term_runs"
    var id: Int64?
    var values: LongTermRun

    init(_ run: LongTermRun) {
        values = run
        values.daily = []
        values.totals = []
    }

    init(row: Row) throws {
        let armsText: String = row["arms"]
        let first: Int64? = row["first_session_id"], last: Int64? = row["last_session_id"]
        let seed: Int64 = row["seed"]
        var options = LongTermOptions()
        options.retrainEvery = row["retrain_every"]
        options.incremental = row["incremental"]
        options.warmIterations = row["warm_iterations"]
        options.returnRate = row["return_rate"]
        options.returnSensitivity = row["return_sensitivity"]
        options.fatigue = row["fatigue"]
        options.churn = row["churn"]
        options.drift = row["drift"]
        let id: Int64 = row["id"]
        let command: String = row["command"], experiment: String? = row["experiment"], title: String = row["title"]
        let control: String? = row["control"], traffic: String = row["traffic"]
        let days: Int = row["days"], users: Int = row["users"], sessionsPerUser: Int = row["sessions_per_user"]
        let worldID: Int64? = row["world_id"]
        let listeners: String = row["listeners"], method: String = row["method"], createdAt: Double = row["created_at"]
        self.id = id
        values = LongTermRun(
            id: id, command: command, experiment: experiment, title: title,
            arms: try JSONDecoder().decode([String].self, from: Data(armsText.utf8)), control: control,
            days: days, users: users, sessionsPerUser: sessionsPerUser, traffic: traffic,
            seed: UInt64(bitPattern: seed), worldID: worldID,
            sessionIDs: first.flatMap { f in last.map { f...max(f, $0) } }, options: options,
            listeners: listeners, method: method, createdAt: createdAt, daily: [], totals: [])
    }

    func run() -> LongTermRun { values }

    func encode(to container: inout PersistenceContainer) throws {
        let v = values, o = values.options
        container["id"] = id
        container["command"] = v.command
        container["experiment"] = v.experiment
        container["title"] = v.title
        container["arms"] = String(decoding: try JSONEncoder().encode(v.arms), as: UTF8.self)
        container["control"] = v.control
        container["days"] = v.days
        container["users"] = v.users
        container["sessions_per_user"] = v.sessionsPerUser
        container["traffic"] = v.traffic
        container["seed"] = Int64(bitPattern: v.seed)
        container["world_id"] = v.worldID
        container["first_session_id"] = v.sessionIDs?.lowerBound
        container["last_session_id"] = v.sessionIDs?.upperBound
        container["retrain_every"] = o.retrainEvery
        container["incremental"] = o.incremental
        container["warm_iterations"] = o.warmIterations
        container["return_rate"] = o.returnRate
        container["return_sensitivity"] = o.returnSensitivity
        container["fatigue"] = o.fatigue
        container["churn"] = o.churn
        container["drift"] = o.drift
        container["listeners"] = v.listeners
        container["method"] = v.method
        container["created_at"] = v.createdAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
        values.id = inserted.rowID
    }
}

/// A `long_term_days` row: one arm (by its index in the run's arms) on one day.
private struct LongTermDayRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "long_term_days"
    var run: Int64
    var armIndex: Int
    var values: LongTermDay

    init(run: Int64, armIndex: Int, _ day: LongTermDay) {
        self.run = run
        self.armIndex = armIndex
        values = day
    }

    init(row: Row) {
        run = row["run_id"]
        armIndex = row["arm_index"]
        let day: Int = row["day"], activeUsers: Int = row["active_users"], sessions: Int = row["sessions"]
        values = LongTermDay(day: day, arm: "", activeUsers: activeUsers, sessions: sessions,
                             meanLength: figure(row, "mean_length"), meanLengthLow: figure(row, "mean_length_low"),
                             meanLengthHigh: figure(row, "mean_length_high"), retention: figure(row, "retention"),
                             listeningPerAssignedUser: figure(row, "listening_per_assigned_user"),
                             coverageRecommended: figure(row, "coverage_recommended"),
                             coverageHeard: figure(row, "coverage_heard"),
                             topOnePercentShare: figure(row, "top_one_percent_share"), gini: figure(row, "gini"),
                             novelty: figure(row, "novelty"), genresPerUser: figure(row, "genres_per_user"))
    }

    func day(arms: [String]) throws -> LongTermDay {
        guard arms.indices.contains(armIndex) else {
            throw InputError(field: "long_term_days.arm_index", value: String(armIndex), "the run has \(arms.count) arms")
        }
        var day = values
        day.arm = arms[armIndex]
        return day
    }

    func encode(to container: inout PersistenceContainer) {
        let d = values
        container["run_id"] = run
        container["arm_index"] = armIndex
        container["day"] = d.day
        container["active_users"] = d.activeUsers
        container["sessions"] = d.sessions
        container["mean_length"] = stored(d.meanLength)
        container["mean_length_low"] = stored(d.meanLengthLow)
        container["mean_length_high"] = stored(d.meanLengthHigh)
        container["retention"] = stored(d.retention)
        container["listening_per_assigned_user"] = stored(d.listeningPerAssignedUser)
        container["coverage_recommended"] = stored(d.coverageRecommended)
        container["coverage_heard"] = stored(d.coverageHeard)
        container["top_one_percent_share"] = stored(d.topOnePercentShare)
        container["gini"] = stored(d.gini)
        container["novelty"] = stored(d.novelty)
        container["genres_per_user"] = stored(d.genresPerUser)
    }
}

/// A `long_term_arms` row: one arm's long-term metric and, for a treatment, its comparison.
private struct LongTermArmRow: FetchableRecord, PersistableRecord {
    static let databaseTableName = "long_term_arms"
    var run: Int64
    var armIndex: Int
    var values: LongTermArmTotal

    init(run: Int64, armIndex: Int, _ total: LongTermArmTotal) {
        self.run = run
        self.armIndex = armIndex
        values = total
    }

    init(row: Row) {
        run = row["run_id"]
        armIndex = row["arm_index"]
        let significant: Bool? = row["significant"]
        let assignedUsers: Int = row["assigned_users"], churned: Int = row["churned"]
        values = LongTermArmTotal(
            arm: "", assignedUsers: assignedUsers, listening: figure(row, "listening"),
            listeningLow: figure(row, "listening_low"), listeningHigh: figure(row, "listening_high"),
            retainedLastDay: figure(row, "retained_last_day"), churned: churned,
            versusControl: significant.map { significant in
                LongTermUplift(difference: figure(row, "uplift"), differenceLow: figure(row, "uplift_low"),
                               differenceHigh: figure(row, "uplift_high"), relative: figure(row, "uplift_relative"),
                               relativeLow: figure(row, "uplift_relative_low"), relativeHigh: figure(row, "uplift_relative_high"),
                               pValue: figure(row, "p_value"), adjustedPValue: figure(row, "adjusted_p_value"),
                               significant: significant)
            })
    }

    func total(arms: [String]) throws -> LongTermArmTotal {
        guard arms.indices.contains(armIndex) else {
            throw InputError(field: "long_term_arms.arm_index", value: String(armIndex), "the run has \(arms.count) arms")
        }
        var total = values
        total.arm = arms[armIndex]
        return total
    }

    func encode(to container: inout PersistenceContainer) {
        let t = values, u = values.versusControl
        container["run_id"] = run
        container["arm_index"] = armIndex
        container["assigned_users"] = t.assignedUsers
        container["listening"] = stored(t.listening)
        container["listening_low"] = stored(t.listeningLow)
        container["listening_high"] = stored(t.listeningHigh)
        container["retained_last_day"] = stored(t.retainedLastDay)
        container["churned"] = t.churned
        container["uplift"] = u.flatMap { stored($0.difference) }
        container["uplift_low"] = u.flatMap { stored($0.differenceLow) }
        container["uplift_high"] = u.flatMap { stored($0.differenceHigh) }
        container["uplift_relative"] = u.flatMap { stored($0.relative) }
        container["uplift_relative_low"] = u.flatMap { stored($0.relativeLow) }
        container["uplift_relative_high"] = u.flatMap { stored($0.relativeHigh) }
        container["p_value"] = u.flatMap { stored($0.pValue) }
        container["adjusted_p_value"] = u.flatMap { stored($0.adjustedPValue) }
        container["significant"] = u?.significant
    }
}
