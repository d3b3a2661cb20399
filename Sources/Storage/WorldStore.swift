import GRDB

/// A simulated world's configuration (seed, weights, …) as JSON text, tied to its catalog.
public struct WorldRecord: Sendable, Equatable {
    public var id: Int64
    public var config: String
    public var catalogFingerprint: String
    /// Seconds since 1970.
    public var createdAt: Double
}

/// Worlds by id. Saving the same configuration for the same catalog twice returns the first
/// id, so sessions of repeated runs share one world row — as long as callers encode the
/// configuration canonically (e.g. `JSONEncoder` with `.sortedKeys`).
public struct WorldStore: Sendable {
    let database: BotifyDatabase

    public func save(config: String, catalogFingerprint: String, at time: Double) throws -> Int64 {
        try database.write { db in
            if let id = try Int64.fetchOne(db, sql: """
                SELECT id FROM worlds WHERE catalog_fingerprint = ? AND config = ? ORDER BY id LIMIT 1
                """, arguments: [catalogFingerprint, config]) {
                return id
            }
            try db.execute(sql: "INSERT INTO worlds (config, catalog_fingerprint, created_at) VALUES (?, ?, ?)",
                           arguments: [config, catalogFingerprint, time])
            return db.lastInsertedRowID
        }
    }

    public func find(id: Int64) throws -> WorldRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, config, catalog_fingerprint, created_at FROM worlds WHERE id = ?",
                             arguments: [id]).map(Self.record)
        }
    }

    /// Worlds made for a catalog, oldest first.
    public func all(catalogFingerprint: String) throws -> [WorldRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, config, catalog_fingerprint, created_at FROM worlds WHERE catalog_fingerprint = ? ORDER BY id
                """, arguments: [catalogFingerprint]).map(Self.record)
        }
    }

    private static func record(_ row: Row) -> WorldRecord {
        WorldRecord(id: row[0], config: row[1], catalogFingerprint: row[2], createdAt: row[3])
    }
}

extension BotifyDatabase {
    public var worlds: WorldStore { WorldStore(database: self) }
}
