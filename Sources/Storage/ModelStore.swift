import Core
import Foundation
import GRDB

/// The newest model of one strategy, without its bytes (the Strategies screen's status line).
public struct ModelStatus: Sendable, Equatable {
    public var strategy: String
    public var catalogFingerprint: String
    public var newestID: Int64
    public var trainedAt: Double
    public var trainingSeconds: Double
    public var sessionRange: ClosedRange<Int64>?
    public var loss: Double?
    public var bytes: Int
    /// Models kept for this strategy and catalog, the newest included.
    public var versions: Int
}

/// A row of `ModelStore.status()`'s query, by column name.
extension ModelStatus: FetchableRecord {
    public init(row: Row) {
        self.init(strategy: row["strategy"], catalogFingerprint: row["catalog_fingerprint"], newestID: row["id"],
                  trainedAt: row["trained_at"], trainingSeconds: row["training_seconds"],
                  sessionRange: ModelStore.range(row["first_session_id"], row["last_session_id"]), loss: row["loss"],
                  bytes: row["bytes"], versions: row["versions"])
    }
}

/// Trained models, newest wins. Old versions are kept (they are small next to the logs).
public struct ModelStore: Sendable {
    let database: BotifyDatabase

    @discardableResult
    public func save(_ model: ModelRecord) throws -> Int64 {
        try database.write { db in
            try model.insert(db)
            return db.lastInsertedRowID
        }
    }

    public func newest(strategy: String, catalogFingerprint: String) throws -> ModelRecord? {
        try database.read { db in
            try ModelRecord.filter(Column("strategy") == strategy && Column("catalog_fingerprint") == catalogFingerprint)
                .order(Column("trained_at").desc, Column("id").desc).fetchOne(db)
        }
    }

    /// The newest model per strategy and catalog, by strategy name.
    public func status() throws -> [ModelStatus] {
        try database.read { db in
            try ModelStatus.fetchAll(db, sql: """
                SELECT m.strategy, m.catalog_fingerprint, m.id, m.trained_at, m.training_seconds,
                    m.first_session_id, m.last_session_id, m.loss, length(m.blob) AS bytes, c.versions
                FROM models m JOIN (
                    SELECT strategy, catalog_fingerprint, count(*) AS versions,
                        (SELECT id FROM models n WHERE n.strategy = o.strategy
                            AND n.catalog_fingerprint = o.catalog_fingerprint
                            ORDER BY trained_at DESC, id DESC LIMIT 1) AS newest
                    FROM models o GROUP BY strategy, catalog_fingerprint
                ) c ON c.newest = m.id
                ORDER BY m.strategy, m.catalog_fingerprint
                """)
        }
    }

    static func range(_ first: Int64?, _ last: Int64?) -> ClosedRange<Int64>? {
        guard let first, let last, first <= last else { return nil }
        return first...last
    }
}

/// The `models` row (Core's type; its mapping to columns lives here, with the schema). The
/// session range is two nullable columns.
extension ModelRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "models"

    public init(row: Row) throws {
        self.init(id: row["id"], strategy: row["strategy"], catalogFingerprint: row["catalog_fingerprint"],
                  params: row["params"], sessionRange: ModelStore.range(row["first_session_id"], row["last_session_id"]),
                  trainedAt: row["trained_at"], trainingSeconds: row["training_seconds"], loss: row["loss"],
                  blob: row["blob"])
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["strategy"] = strategy
        container["catalog_fingerprint"] = catalogFingerprint
        container["params"] = params
        container["first_session_id"] = sessionRange?.lowerBound
        container["last_session_id"] = sessionRange?.upperBound
        container["trained_at"] = trainedAt
        container["training_seconds"] = trainingSeconds
        container["loss"] = loss
        container["blob"] = blob
    }
}

extension BotifyDatabase {
    public var models: ModelStore { ModelStore(database: self) }
}

/// The models table behind Recommenders' `ModelService` (docs/ARCHITECTURE.md §5).
extension BotifyDatabase: ModelRepository {
    public var location: String { path }

    @discardableResult
    public func saveModel(_ record: ModelRecord) throws -> Int64 { try models.save(record) }

    public func newestModel(strategy: String, catalogFingerprint: String) throws -> ModelRecord? {
        try models.newest(strategy: strategy, catalogFingerprint: catalogFingerprint)
    }
}
