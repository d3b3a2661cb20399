import Core
import Foundation
import GRDB

/// Imported recommendation lists (`botify recs import`), one row per list with every key's
/// tracks in one blob (schema v5): a 15,000-track i2i file is one 780 KB row, not 150,000.
/// Blob layout, little-endian: "BRL1", key count, track count (UInt32 each), the keys (Int64),
/// the offsets (keys + 1, Int32), the tracks (Int32).
extension BotifyDatabase: RecommendationListRepository {
    public func saveRecommendationList(_ list: RecommendationList, replacing: Bool) throws {
        let blob = Self.encode(list)
        try write { db in
            if !replacing, try Bool.fetchOne(db, sql: "SELECT 1 FROM recommendation_lists WHERE name = ?", arguments: [list.name]) == true {
                throw InputError(file: path, field: "--name", value: list.name, "a list of that name is already stored (pass --replace to overwrite it)")
            }
            try db.execute(sql: """
                INSERT OR REPLACE INTO recommendation_lists (name, kind, catalog_fingerprint, source, keys, entries, imported_at, blob)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [list.name, list.kind.rawValue, list.catalogFingerprint, list.source, list.count,
                                 list.tracks.count, list.importedAt, blob])
        }
    }

    public func recommendationLists() throws -> [RecommendationListSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, kind, catalog_fingerprint, source, imported_at, keys, entries
                FROM recommendation_lists ORDER BY name
                """).map { row in
                RecommendationListSummary(name: row[0], kind: RecommendationListKind(rawValue: row[1]) ?? .i2i,
                                          catalogFingerprint: row[2], source: row[3], importedAt: row[4], keys: row[5], entries: row[6])
            }
        }
    }

    public func recommendationList(named name: String) throws -> RecommendationList? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT name, kind, catalog_fingerprint, source, imported_at, blob FROM recommendation_lists WHERE name = ?
                """, arguments: [name]) else { return nil }
            let what = "list '\(name)' in \(path)"
            guard let kind = RecommendationListKind(rawValue: row[1]) else {
                throw InputError(file: what, field: "kind", value: row[1], "unknown kind")
            }
            let blob: Data = row[5]
            guard let (keys, offsets, tracks) = Self.decode([UInt8](blob)) else {
                throw InputError(file: what, "corrupt list blob (import the file again with --replace)")
            }
            return RecommendationList(name: row[0], kind: kind, catalogFingerprint: row[2], source: row[3],
                                      importedAt: row[4], keys: keys, offsets: offsets, tracks: tracks)
        }
    }

    static func encode(_ list: RecommendationList) -> Data {
        var out = [UInt8]("BRL1".utf8)
        out.reserveCapacity(12 + list.keys.count * 12 + list.tracks.count * 4 + 4)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(UInt32(list.keys.count))
        put(UInt32(list.tracks.count))
        for k in list.keys { put(k) }
        for o in list.offsets { put(o) }
        for t in list.tracks { put(t) }
        return Data(out)
    }

    static func decode(_ bytes: [UInt8]) -> (keys: [Int64], offsets: [Int32], tracks: [TrackID])? {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("BRL1".utf8) else { return nil }
        var at = 4
        func get<T: FixedWidthInteger>(_: T.Type) -> T {
            var v: T = 0
            withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: bytes[at..<(at + MemoryLayout<T>.size)]) }
            at += MemoryLayout<T>.size
            return T(littleEndian: v)
        }
        let keyCount = Int(get(UInt32.self)), trackCount = Int(get(UInt32.self))
        guard bytes.count == 12 + keyCount * 8 + (keyCount + 1) * 4 + trackCount * 4 else { return nil }
        let keys = (0..<keyCount).map { _ in get(Int64.self) }
        let offsets = (0...keyCount).map { _ in get(Int32.self) }
        let tracks = (0..<trackCount).map { _ in get(Int32.self) }
        return (keys, offsets, tracks)
    }
}
