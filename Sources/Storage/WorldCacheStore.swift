import Core
import Foundation
import GRDB

/// One `world_cache` row: derived data of a world (Simulator's `WorldCache` bytes) under the
/// identity of the inputs that produced it.
public struct WorldCacheRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "world_cache"

    public var identity: String
    /// FNV-1a 64 of `payload`, lowercase hex.
    public var checksum: String
    public var bytes: Int64
    public var payload: Data
    /// Seconds since 1970.
    public var createdAt: Double

    enum CodingKeys: String, CodingKey {
        case identity, checksum, bytes, payload
        case createdAt = "created_at"
    }

    public init(identity: String, payload: [UInt8], createdAt: Double) {
        self.identity = identity
        self.checksum = Self.checksum(payload)
        self.bytes = Int64(payload.count)
        self.payload = Data(payload)
        self.createdAt = createdAt
    }

    static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var h = StableHash()
        for b in bytes { h.combine(byte: b) }
        return String(h.value, radix: 16)
    }
}

/// The world cache: `lookup` says whether a row for an identity is there and intact;
/// `store` replaces it in one transaction (a killed writer leaves the old row or none).
public struct WorldCacheStore: Sendable {
    let database: BotifyDatabase

    public enum Lookup: Equatable, Sendable {
        case hit([UInt8])
        case miss
        /// A row was there but its bytes do not match its checksum or length: never use it.
        case damaged(String)
    }

    public func lookup(identity: String) throws -> Lookup {
        guard let row = try database.read({ try WorldCacheRecord.fetchOne($0, key: identity) }) else { return .miss }
        guard database.unchangedSinceOpening() else { return .damaged("the database changed while it was read") }
        guard Int64(row.payload.count) == row.bytes else {
            return .damaged("\(row.payload.count) bytes stored, \(row.bytes) recorded")
        }
        let bytes = [UInt8](row.payload)
        let sum = WorldCacheRecord.checksum(bytes)
        guard sum == row.checksum else { return .damaged("checksum \(sum), recorded \(row.checksum)") }
        return .hit(bytes)
    }

    public func store(identity: String, payload: [UInt8], at time: Double) throws {
        let record = WorldCacheRecord(identity: identity, payload: payload, createdAt: time)
        try database.write { try record.insert($0, onConflict: .replace) }
    }

    /// Identities stored, for tests and diagnostics.
    public func identities() throws -> [String] {
        try database.read { try String.fetchAll($0, sql: "SELECT identity FROM world_cache ORDER BY identity") }
    }
}

extension BotifyDatabase {
    public var worldCache: WorldCacheStore { WorldCacheStore(database: self) }
}
