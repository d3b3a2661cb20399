import GRDB

/// A simulated world's configuration (seed, weights, …) as JSON text, tied to its catalog.
public struct WorldRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "worlds"

    /// Nil until inserted (then the row id: `MutablePersistableRecord` so `didInsert` can set it).
    public var id: Int64?
    public var config: String
    public var catalogFingerprint: String
    /// Seconds since 1970.
    public var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case id, config
        case catalogFingerprint = "catalog_fingerprint"
        case createdAt = "created_at"
    }

    public init(id: Int64? = nil, config: String, catalogFingerprint: String, createdAt: Double) {
        self.id = id
        self.config = config
        self.catalogFingerprint = catalogFingerprint
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// Worlds by id. Saving the same configuration for the same catalog twice returns the first
/// id, so sessions of repeated runs share one world row — as long as callers encode the
/// configuration canonically (e.g. `JSONEncoder` with `.sortedKeys`).
public struct WorldStore: Sendable {
    let database: BotifyDatabase

    public func save(config: String, catalogFingerprint: String, at time: Double) throws -> Int64 {
        try database.write { db in
            let columns = WorldRecord.Field.self
            if let existing = try WorldRecord.filter(columns.catalogFingerprint == catalogFingerprint && columns.config == config)
                .order(columns.id).fetchOne(db), let id = existing.id {
                return id
            }
            var record = WorldRecord(config: config, catalogFingerprint: catalogFingerprint, createdAt: time)
            try record.insert(db)
            return record.id!
        }
    }

    public func find(id: Int64) throws -> WorldRecord? {
        try database.read { try WorldRecord.fetchOne($0, key: id) }
    }

    /// Worlds made for a catalog, oldest first.
    public func all(catalogFingerprint: String) throws -> [WorldRecord] {
        try database.read { db in
            try WorldRecord.filter(WorldRecord.Field.catalogFingerprint == catalogFingerprint)
                .order(WorldRecord.Field.id).fetchAll(db)
        }
    }
}

extension WorldRecord {
    /// Column expressions for queries (not GRDB's `Columns` requirement, which would be public).
    fileprivate enum Field {
        static let id = Column(CodingKeys.id)
        static let config = Column(CodingKeys.config)
        static let catalogFingerprint = Column(CodingKeys.catalogFingerprint)
    }
}

extension BotifyDatabase {
    public var worlds: WorldStore { WorldStore(database: self) }
}
