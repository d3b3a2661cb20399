import Core
import Foundation
import GRDB

/// A feature set: what computed a group of logged rows (an opaque payload here; Ranking's
/// `RankerModel` without trees), stored once.
public struct LoggedFeatureSet: Sendable, Equatable {
    public var id: Int64
    /// FNV-1a 64 of `payload`, hex.
    public var fingerprint: String
    public var catalogFingerprint: String
    public var columns: Int
    public var payload: [UInt8]
    public var createdAt: Double
    /// Rows logged with it.
    public var rows: Int
}

/// `ranker_feature_sets` and `ranker_features` (migration v9): the ranker's feature vectors
/// as computed at serving time. A vector is stored as `columns` little-endian Float32.
public struct RankerFeatureStore: Sendable {
    let database: BotifyDatabase

    /// The id of the set with this payload, stored first if it is new.
    public func register(payload: [UInt8], columns: Int, catalogFingerprint: String, at time: Double) throws -> Int64 {
        let fingerprint = WorldCacheRecord.checksum(payload)
        return try database.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM ranker_feature_sets WHERE fingerprint = ?", arguments: [fingerprint]) {
                return id
            }
            try db.execute(sql: """
                INSERT INTO ranker_feature_sets (fingerprint, catalog_fingerprint, columns, payload, created_at)
                VALUES (?, ?, ?, ?, ?)
                """, arguments: [fingerprint, catalogFingerprint, columns, Data(payload), time])
            return db.lastInsertedRowID
        }
    }

    /// Writes rows of one set in one transaction; each must have the set's column count and
    /// name a logged play.
    public func write(_ rows: [LoggedFeatureRow], set: Int64) throws {
        guard !rows.isEmpty else { return }
        try database.write { db in
            guard let columns = try Int.fetchOne(db, sql: "SELECT columns FROM ranker_feature_sets WHERE id = ?", arguments: [set]) else {
                throw InputError(file: database.path, field: "feature set", value: String(set), "no such ranker feature set")
            }
            let statement = try db.makeStatement(sql: "INSERT INTO ranker_features (session_id, position, feature_set, features) VALUES (?, ?, ?, ?)")
            for row in rows {
                guard row.values.count == columns else {
                    throw InputError(file: database.path, field: "features", value: String(row.values.count),
                                     "session \(row.sessionID) position \(row.position): \(columns) values expected")
                }
                try statement.execute(arguments: [row.sessionID, row.position, set, Self.encode(row.values)])
            }
        }
    }

    /// Every set for the catalog with its row count, oldest first.
    public func sets(catalogFingerprint: String) throws -> [LoggedFeatureSet] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.id, s.fingerprint, s.catalog_fingerprint, s.columns, s.payload, s.created_at,
                       (SELECT count(*) FROM ranker_features f WHERE f.feature_set = s.id) AS rows
                FROM ranker_feature_sets s WHERE s.catalog_fingerprint = ? ORDER BY s.id
                """, arguments: [catalogFingerprint]).map { r in
                LoggedFeatureSet(id: r["id"], fingerprint: r["fingerprint"], catalogFingerprint: r["catalog_fingerprint"],
                                 columns: r["columns"], payload: [UInt8](r["payload"] as Data), createdAt: r["created_at"],
                                 rows: r["rows"])
            }
        }
    }

    /// The rows of one set in (session, position) order; a blob of the wrong length is an error
    /// naming its play, never a row read short.
    public func rows(set: LoggedFeatureSet) throws -> [LoggedFeatureRow] {
        try database.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT session_id, position, features FROM ranker_features WHERE feature_set = ? ORDER BY session_id, position
                """, arguments: [set.id])
            var out: [LoggedFeatureRow] = []
            while let r = try cursor.next() {
                let session: Int64 = r["session_id"], position: Int32 = r["position"]
                let blob: Data = r["features"]
                guard blob.count == set.columns * 4 else {
                    throw InputError(file: database.path, field: "ranker_features session \(session) position \(position)",
                                     value: "\(blob.count) bytes", "expected \(set.columns * 4) (\(set.columns) Float32)")
                }
                out.append(LoggedFeatureRow(sessionID: session, position: position, values: Self.decode(blob)))
            }
            return out
        }
    }

    static func encode(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func decode(_ blob: Data) -> [Float] {
        blob.withUnsafeBytes { raw in
            (0..<(blob.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}

extension BotifyDatabase {
    public var rankerFeatures: RankerFeatureStore { RankerFeatureStore(database: self) }
}
