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

/// Trained models, newest wins. Old versions are kept (they are small next to the logs).
public struct ModelStore: Sendable {
    let database: BotifyDatabase

    @discardableResult
    public func save(_ model: ModelRecord) throws -> Int64 {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO models (strategy, catalog_fingerprint, params, first_session_id, last_session_id,
                    trained_at, training_seconds, loss, blob)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [model.strategy, model.catalogFingerprint, model.params,
                                 model.sessionRange?.lowerBound, model.sessionRange?.upperBound,
                                 model.trainedAt, model.trainingSeconds, model.loss, model.blob])
            return db.lastInsertedRowID
        }
    }

    public func newest(strategy: String, catalogFingerprint: String) throws -> ModelRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT id, strategy, catalog_fingerprint, params, first_session_id, last_session_id,
                    trained_at, training_seconds, loss, blob
                FROM models WHERE strategy = ? AND catalog_fingerprint = ?
                ORDER BY trained_at DESC, id DESC LIMIT 1
                """, arguments: [strategy, catalogFingerprint]).map { row in
                ModelRecord(id: row[0], strategy: row[1], catalogFingerprint: row[2], params: row[3],
                            sessionRange: Self.range(row[4], row[5]), trainedAt: row[6], trainingSeconds: row[7],
                            loss: row[8], blob: row[9])
            }
        }
    }

    /// The newest model per strategy and catalog, by strategy name.
    public func status() throws -> [ModelStatus] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.strategy, m.catalog_fingerprint, m.id, m.trained_at, m.training_seconds,
                    m.first_session_id, m.last_session_id, m.loss, length(m.blob), c.versions
                FROM models m JOIN (
                    SELECT strategy, catalog_fingerprint, count(*) AS versions,
                        (SELECT id FROM models n WHERE n.strategy = o.strategy
                            AND n.catalog_fingerprint = o.catalog_fingerprint
                            ORDER BY trained_at DESC, id DESC LIMIT 1) AS newest
                    FROM models o GROUP BY strategy, catalog_fingerprint
                ) c ON c.newest = m.id
                ORDER BY m.strategy, m.catalog_fingerprint
                """).map { row in
                ModelStatus(strategy: row[0], catalogFingerprint: row[1], newestID: row[2], trainedAt: row[3],
                            trainingSeconds: row[4], sessionRange: Self.range(row[5], row[6]), loss: row[7],
                            bytes: row[8], versions: row[9])
            }
        }
    }

    private static func range(_ first: Int64?, _ last: Int64?) -> ClosedRange<Int64>? {
        guard let first, let last, first <= last else { return nil }
        return first...last
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
