import Core
import Foundation

/// A world's derived data as bytes, for the database's `world_cache` table (Storage's
/// `WorldCacheStore`), and the identity text that names exactly which inputs produced them.
///
/// Two kinds, one per way a world is made (docs/ARCHITECTURE.md §3, "The world cache"):
/// - a generated world: its taste space, users and interest neighbour lists, keyed by a digest
///   of every catalog column generation reads and the canonical `WorldConfig` JSON (seed and
///   user count included);
/// - an imported world: only the neighbour lists (the files themselves are read each run), keyed
///   by a digest of the embedding values and the list width; lists are per track, so one entry
///   serves any `--users` and grows when a run needs tracks it lacks.
///
/// Decoding checks every count, range and ordering and throws `WorldCache.Invalid` instead of
/// building a wrong world; Storage checks a checksum of the bytes before that.
public enum WorldCache {
    /// Bumped whenever the bytes or what they mean change, so old entries stop matching.
    public static let format = 1
    static let magic: UInt64 = 0x4843_4143_4C44_5257  // "WRLDCACH" little-endian
    enum Kind: UInt64 { case generated = 1, neighbours = 2 }

    /// Why stored bytes were refused.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: identities

    /// The identity of `World.generate(catalog:config:)`'s result.
    public static func identity(generating catalog: Catalog, config: WorldConfig) -> String {
        var config = config
        config.catalogFingerprint = catalog.fingerprint
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(config)).map { String(decoding: $0, as: UTF8.self) } ?? "\(config)"
        return "generated v\(format) catalog \(contentDigest(catalog)) config \(json)"
    }

    /// The identity of the neighbour lists of `width` over `space` (an imported world).
    public static func identity(neighboursOver space: TasteSpace, width: Int) -> String {
        var h = WordHash()
        space.vectors.withUnsafeBytes { h.combine($0) }
        return "neighbours v\(format) tracks \(space.count) d \(space.dimensions) \(space.precision.rawValue) "
            + "vectors \(String(h.value, radix: 16)) width \(width)"
    }

    /// Every catalog column `World.generate` reads (not only the fingerprint's titles and
    /// artists: a changed popularity or genre changes the world).
    static func contentDigest(_ c: Catalog) -> String {
        var h = WordHash()
        h.combine(UInt64(c.count))
        for names in [c.titles, c.artistNames, c.genreNames, c.subgenreNames] {
            h.combine(UInt64(names.count))
            for s in names { h.combine(Array(s.utf8)); h.combine(0xFF) }
        }
        for column in [c.artistOfTrack, c.genreOffsets, c.genreIDs, c.subgenreOffsets, c.subgenreIDs] {
            h.combine(UInt64(column.count))
            column.withUnsafeBytes { h.combine($0) }
        }
        for column in [c.popularity, c.features] {
            h.combine(UInt64(column.count))
            column.withUnsafeBytes { h.combine($0) }
        }
        return String(h.value, radix: 16)
    }

    // MARK: generated worlds

    public static func encode(generated world: World) -> [UInt8] {
        var w = ByteWriter(kind: .generated)
        let u = world.users
        w.scalar(UInt64(world.space.dimensions))
        w.array(world.space.vectors)
        w.array(u.ids)
        w.array(u.interestOffsets)
        w.array(u.interests)
        w.array(u.consumeBias)
        w.array(u.consumeSharpness)
        w.array(u.sessionBudget)
        w.array(u.artistDiscountGamma)
        w.array(u.interestNeighbours)
        w.neighbours(world.neighbours)
        return w.bytes
    }

    /// The world `encode(generated:)` stored, checked against `catalog` and `config`.
    public static func decodeGenerated(_ bytes: [UInt8], catalog: Catalog, config: WorldConfig) throws -> World {
        var config = config
        config.catalogFingerprint = catalog.fingerprint
        return try bytes.withUnsafeBytes { raw in
            var r = try ByteReader(raw, kind: .generated)
            let d: UInt64 = try r.scalar("dimensions")
            guard d == UInt64(config.dimensions) else { throw Invalid("dimensions \(d), expected \(config.dimensions)") }
            let vectors: [Float] = try r.array("vectors")
            guard vectors.count == catalog.count * config.dimensions else { throw Invalid("vectors: \(vectors.count) values") }
            let ids: [Int64] = try r.array("ids")
            let offsets: [Int32] = try r.array("interest offsets")
            let interests: [TrackID] = try r.array("interests")
            let bias: [Double] = try r.array("consume bias"), sharpness: [Double] = try r.array("consume sharpness")
            let budget: [Int32] = try r.array("session budget"), gamma: [Double] = try r.array("gamma")
            let starts: [Int32] = try r.array("interest neighbours")
            let n = config.users
            guard ids.count == n, offsets.count == n + 1, bias.count == n, sharpness.count == n, budget.count == n,
                  gamma.count == n, starts.count == n else { throw Invalid("user columns do not hold \(n) users") }
            guard offsets.first == 0, offsets.last.map(Int.init) == interests.count,
                  zip(offsets, offsets.dropFirst()).allSatisfy({ $0 < $1 }) else { throw Invalid("interest offsets out of order") }
            guard interests.allSatisfy({ $0 >= 0 && Int($0) < catalog.count }) else { throw Invalid("interest out of range") }
            guard starts.allSatisfy({ $0 > 0 }), budget.allSatisfy({ $0 > 0 }) else { throw Invalid("non-positive user field") }
            let users = UserPopulation(ids: ids, interestOffsets: offsets, interests: interests, consumeBias: bias,
                                       consumeSharpness: sharpness, sessionBudget: budget, artistDiscountGamma: gamma,
                                       interestNeighbours: starts)
            let neighbours = try r.neighbours(tracks: catalog.count,
                                              width: World.candidateCount(config: config, users: users, tracks: catalog.count))
            guard neighbours.missing(interests).isEmpty else { throw Invalid("an interest has no neighbour list") }
            try r.finish()
            let space = TasteSpace(dimensions: config.dimensions, count: catalog.count, vectors: vectors)
            return World(catalog: catalog, config: config, space: space, users: users, neighbours: neighbours)
        }
    }

    // MARK: imported worlds' neighbour lists

    public static func encode(_ neighbours: InterestNeighbours) -> [UInt8] {
        var w = ByteWriter(kind: .neighbours)
        w.neighbours(neighbours)
        return w.bytes
    }

    public static func decodeNeighbours(_ bytes: [UInt8], tracks: Int, width: Int) throws -> InterestNeighbours {
        try bytes.withUnsafeBytes { raw in
            var r = try ByteReader(raw, kind: .neighbours)
            let table = try r.neighbours(tracks: tracks, width: width)
            try r.finish()
            return table
        }
    }
}

/// 64-bit words folded FNV-style (xor, multiply by the FNV prime, mix the high bits down), so a
/// 265 MB embedding matrix hashes in tens of milliseconds; stable across runs and machines.
struct WordHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func combine(_ word: UInt64) {
        value = (value ^ word) &* 0x0000_0100_0000_01B3
        value ^= value >> 29
    }

    mutating func combine(_ bytes: [UInt8]) { bytes.withUnsafeBytes { combine($0) } }

    mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        let words = bytes.count / 8
        for i in 0..<words { combine(bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        var tail: UInt64 = 0
        for i in (words * 8)..<bytes.count { tail = tail << 8 | UInt64(bytes[i]) }
        combine(tail ^ UInt64(bytes.count) << 56)
    }
}

/// Little-endian sections: the magic, format and kind, then each value or array as its byte
/// length and its bytes in the machine's layout (botify runs on little-endian machines only).
private struct ByteWriter {
    var bytes: [UInt8] = []

    init(kind: WorldCache.Kind) {
        scalar(WorldCache.magic)
        scalar(UInt64(WorldCache.format))
        scalar(kind.rawValue)
    }

    mutating func scalar(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }

    mutating func array<T>(_ values: [T]) {
        scalar(UInt64(values.count * MemoryLayout<T>.stride))
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func neighbours(_ table: InterestNeighbours) {
        scalar(UInt64(table.width))
        array(table.tracks)
        array(table.lists)
    }
}

private struct ByteReader {
    let raw: UnsafeRawBufferPointer
    var position = 0

    init(_ raw: UnsafeRawBufferPointer, kind: WorldCache.Kind) throws {
        self.raw = raw
        guard try scalar("magic") == WorldCache.magic else { throw WorldCache.Invalid("not a world cache entry") }
        let format: UInt64 = try scalar("format"), found: UInt64 = try scalar("kind")
        guard format == UInt64(WorldCache.format) else { throw WorldCache.Invalid("format \(format), expected \(WorldCache.format)") }
        guard found == kind.rawValue else { throw WorldCache.Invalid("kind \(found), expected \(kind.rawValue)") }
    }

    mutating func scalar(_ field: String) throws -> UInt64 {
        guard raw.count - position >= 8 else { throw WorldCache.Invalid("\(field): truncated") }
        defer { position += 8 }
        return UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func array<T>(_ field: String) throws -> [T] {
        let length = try scalar(field)
        guard length <= UInt64(raw.count - position), length % UInt64(MemoryLayout<T>.stride) == 0 else {
            throw WorldCache.Invalid("\(field): truncated or not whole values")
        }
        let count = Int(length) / MemoryLayout<T>.stride
        let start = position
        position += Int(length)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(length)]))
            initialized = count
        }
    }

    /// A neighbour table over `tracks` tracks whose width must be `width`.
    mutating func neighbours(tracks: Int, width: Int) throws -> InterestNeighbours {
        let found = try scalar("width")
        guard found == UInt64(width) else { throw WorldCache.Invalid("list width \(found), expected \(width)") }
        let queries: [TrackID] = try array("tracks"), lists: [TrackID] = try array("lists")
        guard lists.count == queries.count * width else { throw WorldCache.Invalid("lists: \(lists.count) entries") }
        guard queries.allSatisfy({ $0 >= 0 && Int($0) < tracks }), zip(queries, queries.dropFirst()).allSatisfy({ $0 < $1 }),
              lists.allSatisfy({ $0 >= -1 && Int($0) < tracks }) else { throw WorldCache.Invalid("track out of range or order") }
        return InterestNeighbours(tracks: queries, lists: lists, width: width)
    }

    func finish() throws {
        guard position == raw.count else { throw WorldCache.Invalid("\(raw.count - position) trailing bytes") }
    }
}
