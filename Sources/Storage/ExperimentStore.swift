import Core
import Foundation
import GRDB

/// Experiments by name. Sessions refer to an experiment by name only, so a run may log its
/// sessions before or after saving the record.
public struct ExperimentStore: Sendable {
    let database: BotifyDatabase

    /// Inserts or replaces the experiment called `experiment.name`.
    public func save(_ experiment: ExperimentRecord) throws {
        try database.write { try experiment.insert($0, onConflict: .replace) }
    }

    /// Records the finished run's report (JSON text).
    public func setResult(_ json: String, for name: String) throws {
        let changed = try database.write { db in
            try db.execute(sql: "UPDATE experiments SET result = ? WHERE name = ?", arguments: [json, name])
            return db.changesCount
        }
        if changed == 0 {
            throw InputError(file: database.path, field: "experiment", value: name, "no such experiment")
        }
    }

    /// Whether `name` has a record, and how many sessions are logged under it (a run that
    /// died before saving its record leaves sessions only).
    public func footprint(_ name: String) throws -> (recorded: Bool, sessions: Int) {
        try database.read { db in
            let recorded = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM experiments WHERE name = ?)", arguments: [name]) ?? false
            let sessions = try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions WHERE experiment = ?", arguments: [name]) ?? 0
            return (recorded, sessions)
        }
    }

    /// Deletes the experiment's sessions, their plays, its long-term reports and its record, all or nothing.
    public func delete(_ name: String) throws {
        try database.write { db in
            try LongTermStore.delete(experiment: name, in: db)
            try db.execute(sql: "DELETE FROM play_log WHERE session_id IN (SELECT id FROM sessions WHERE experiment = ?)",
                           arguments: [name])
            try db.execute(sql: "DELETE FROM sessions WHERE experiment = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM experiments WHERE name = ?", arguments: [name])
        }
    }

    public func load(_ name: String) throws -> ExperimentRecord? {
        try database.read { try ExperimentRecord.fetchOne($0, key: name) }
    }

    /// All experiments, newest first.
    public func all() throws -> [ExperimentRecord] {
        try database.read { try ExperimentRecord.order(Column("created_at").desc, Column("name")).fetchAll($0) }
    }
}

/// The `experiments` row. Arms are stored as a JSON array; the seed as its Int64 bit pattern
/// (SQLite integers are signed, seeds use all 64 bits).
extension ExperimentRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "experiments"

    public init(row: Row) throws {
        let armsText: String = row["arms"]
        self.init(name: row["name"], arms: try JSONDecoder().decode([String].self, from: Data(armsText.utf8)),
                  control: row["control"], seed: UInt64(bitPattern: row["seed"] as Int64), users: row["users"],
                  sessionsPerUser: row["sessions_per_user"], worldID: row["world_id"], createdAt: row["created_at"],
                  result: row["result"], traffic: row["traffic"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["name"] = name
        container["arms"] = String(decoding: try JSONEncoder().encode(arms), as: UTF8.self)
        container["control"] = control
        container["seed"] = Int64(bitPattern: seed)
        container["users"] = users
        container["sessions_per_user"] = sessionsPerUser
        container["world_id"] = worldID
        container["created_at"] = createdAt
        container["result"] = result
        container["traffic"] = traffic
    }
}

extension BotifyDatabase {
    public var experiments: ExperimentStore { ExperimentStore(database: self) }
}
