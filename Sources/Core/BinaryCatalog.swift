/// botify's binary columnar catalog format (`.botcat`): the `Catalog` columns as they are in
/// memory, so a million-track catalog loads in well under a second (its CSV takes several).
///
/// Layout, version 1, all integers little-endian:
/// ```
/// magic    8 bytes  "BOTCAT\r\n"   (the CR LF catches text-mode mangling)
/// version  UInt32   1
/// flags    UInt32   bit 0: has audio features
/// count    UInt64   number of tracks n
/// 14 sections, in this order, each: UInt64 byte length, payload, zero padding to 8 bytes
///   titles, albums, artist names          string tables
///   artist of track [Int32 × n], years [Int16 × n], durations [Float32 × n], popularity [Float32 × n]
///   genre names (string table), genre offsets [Int32 × (n+1)], genre ids [Int32]
///   subgenre names (string table), subgenre offsets [Int32 × (n+1)], subgenre ids [Int32]
///   features [Float32 × n × 9 in `AudioFeature` order], empty when flag bit 0 is clear
/// checksum UInt64   `ByteInterner.hash` of every byte before it
/// ```
/// A string table is UInt64 m, then (m+1) UInt64 offsets into the UTF-8 bytes that follow.
/// Reading validates everything (checksum, lengths, offsets, ids in range, UTF-8), so a
/// damaged or foreign file is an `InputError`, never a crash or a half-loaded catalog.
public enum BinaryCatalog {
    public static let magic: [UInt8] = Array("BOTCAT\r\n".utf8)
    public static let version: UInt32 = 1

    public static func write(_ catalog: Catalog, to path: String) throws {
        try AtomicFile.write(to: path) { sink in try sink(data(catalog)) }
    }

    public static func data(_ c: Catalog) -> [UInt8] {
        var out = magic
        append(version, to: &out)
        append(UInt32(c.hasFeatures ? 1 : 0), to: &out)
        append(UInt64(c.count), to: &out)
        section(&out) { stringTable(c.titles, &$0) }
        section(&out) { stringTable(c.albums, &$0) }
        section(&out) { stringTable(c.artistNames, &$0) }
        section(&out) { array(c.artistOfTrack, &$0) }
        section(&out) { array(c.years, &$0) }
        section(&out) { array(c.durations, &$0) }
        section(&out) { array(c.popularity, &$0) }
        section(&out) { stringTable(c.genreNames, &$0) }
        section(&out) { array(c.genreOffsets, &$0) }
        section(&out) { array(c.genreIDs, &$0) }
        section(&out) { stringTable(c.subgenreNames, &$0) }
        section(&out) { array(c.subgenreOffsets, &$0) }
        section(&out) { array(c.subgenreIDs, &$0) }
        section(&out) { array(c.features, &$0) }
        let checksum = out.withUnsafeBytes { ByteInterner.hash($0) }
        append(checksum, to: &out)
        return out
    }

    public static func read(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> Catalog {
        var r = Reader(bytes: UnsafeRawBufferPointer(bytes), file: file)
        guard bytes.count >= magic.count + 24, bytes.starts(with: magic) else {
            throw InputError(file: file, "not a botify binary catalog (bad magic header)")
        }
        let body = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[..<(bytes.count - 8)])
        let stored = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
        guard ByteInterner.hash(body) == UInt64(littleEndian: stored) else {
            throw InputError(file: file, "checksum mismatch: the file is truncated or damaged")
        }
        r.position = magic.count
        let version: UInt32 = try r.scalar("version")
        guard version == Self.version else {
            throw InputError(file: file, field: "version", value: String(version),
                             "unsupported binary catalog version (this botify reads version \(Self.version))")
        }
        let flags: UInt32 = try r.scalar("flags")
        let count64: UInt64 = try r.scalar("count")
        guard count64 > 0, count64 < UInt64(Int32.max) else {
            throw InputError(file: file, field: "count", value: String(count64), "track count out of range")
        }
        let n = Int(count64)
        let titles = try r.strings("titles")
        let albums = try r.strings("albums")
        let artistNames = try r.strings("artist names")
        let artistOfTrack: [Int32] = try r.array("artist of track")
        let years: [Int16] = try r.array("years")
        let durations: [Float] = try r.array("durations")
        let popularity: [Float] = try r.array("popularity")
        let genreNames = try r.strings("genre names")
        let genreOffsets: [Int32] = try r.array("genre offsets")
        let genreIDs: [Int32] = try r.array("genre ids")
        let subgenreNames = try r.strings("subgenre names")
        let subgenreOffsets: [Int32] = try r.array("subgenre offsets")
        let subgenreIDs: [Int32] = try r.array("subgenre ids")
        let features: [Float] = try r.array("features")
        guard r.position == bytes.count - 8 else { throw InputError(file: file, "unexpected bytes after the last section") }

        func check(_ ok: Bool, _ field: String, _ problem: String) throws {
            if !ok { throw InputError(file: file, field: field, problem) }
        }
        for (name, length) in [("titles", titles.count), ("albums", albums.count), ("artist of track", artistOfTrack.count),
                               ("years", years.count), ("durations", durations.count), ("popularity", popularity.count)] {
            try check(length == n, name, "expected \(n) rows, found \(length)")
        }
        try check(features.count == (flags & 1 != 0 ? n * Catalog.featureCount : 0), "features", "wrong number of values")
        try check(artistOfTrack.allSatisfy { $0 >= 0 && Int($0) < artistNames.count }, "artist of track", "artist id out of range")
        try check(durations.allSatisfy { $0.isFinite && $0 >= 0 }, "durations", "negative or non-finite duration")
        try check(popularity.allSatisfy { $0.isFinite && $0 >= 0 }, "popularity", "negative or non-finite popularity")
        try check(features.allSatisfy(\.isFinite), "features", "non-finite value")
        try checkCSR(genreOffsets, genreIDs, names: genreNames.count, n: n, field: "genres", file: file)
        try checkCSR(subgenreOffsets, subgenreIDs, names: subgenreNames.count, n: n, field: "subgenres", file: file)
        return Catalog(source: file, titles: titles, albums: albums, artistNames: artistNames, artistOfTrack: artistOfTrack,
                       years: years, durations: durations, popularity: popularity, genreNames: genreNames,
                       genreOffsets: genreOffsets, genreIDs: genreIDs, subgenreNames: subgenreNames,
                       subgenreOffsets: subgenreOffsets, subgenreIDs: subgenreIDs, features: features)
    }

    private static func checkCSR(_ offsets: [Int32], _ ids: [Int32], names: Int, n: Int, field: String, file: String) throws {
        guard offsets.count == n + 1, offsets.first == 0, Int(offsets.last!) == ids.count,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw InputError(file: file, field: field, "offsets are not a valid list index")
        }
        guard ids.allSatisfy({ $0 >= 0 && Int($0) < names }) else { throw InputError(file: file, field: field, "id out of range") }
    }

    // MARK: writing

    private static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func section(_ out: inout [UInt8], _ body: (inout [UInt8]) -> Void) {
        var payload: [UInt8] = []
        body(&payload)
        append(UInt64(payload.count), to: &out)
        out.append(contentsOf: payload)
        while out.count % 8 != 0 { out.append(0) }
    }

    /// Columns are stored in the machine's layout; botify runs on little-endian machines only.
    private static func array<T>(_ values: [T], _ out: inout [UInt8]) {
        values.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    private static func stringTable(_ strings: [String], _ out: inout [UInt8]) {
        append(UInt64(strings.count), to: &out)
        var offset: UInt64 = 0
        append(offset, to: &out)
        for s in strings {
            offset += UInt64(s.utf8.count)
            append(offset, to: &out)
        }
        for s in strings { out.append(contentsOf: s.utf8) }
    }

    // MARK: reading

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        let file: String
        var position = 0

        init(bytes: UnsafeRawBufferPointer, file: String) {
            self.bytes = bytes
            self.file = file
        }

        func truncated(_ field: String) -> InputError { InputError(file: file, field: field, "file is truncated") }

        mutating func scalar<T: FixedWidthInteger>(_ field: String) throws -> T {
            guard position + MemoryLayout<T>.size <= bytes.count - 8 else { throw truncated(field) }
            defer { position += MemoryLayout<T>.size }
            return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        }

        /// One section's payload; moves past its padding.
        mutating func section(_ field: String) throws -> UnsafeRawBufferPointer {
            let length: UInt64 = try scalar(field)
            guard length <= UInt64(bytes.count - 8 - position) else { throw truncated(field) }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[position..<position + Int(length)])
            position += Int(length)
            position = (position + 7) & ~7
            guard position <= bytes.count - 8 else { throw truncated(field) }
            return payload
        }

        mutating func array<T>(_ field: String) throws -> [T] {
            let payload = try section(field)
            guard payload.count % MemoryLayout<T>.stride == 0 else {
                throw InputError(file: file, field: field, "length is not a whole number of values")
            }
            let count = payload.count / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: payload)
                initialized = count
            }
        }

        mutating func strings(_ field: String) throws -> [String] {
            let payload = try section(field)
            guard payload.count >= 16 else { throw truncated(field) }
            let m = payload.loadUnaligned(as: UInt64.self)
            guard m < UInt64(payload.count) / 8 else { throw InputError(file: file, field: field, "string count out of range") }
            let count = Int(m)
            let textStart = 8 * (count + 2)
            guard textStart <= payload.count, payload.loadUnaligned(fromByteOffset: 8, as: UInt64.self) == 0 else {
                throw InputError(file: file, field: field, "string table is truncated or does not start at offset 0")
            }
            let text = UnsafeRawBufferPointer(rebasing: payload[textStart...]).bindMemory(to: UInt8.self)
            // Validate the whole blob once, then check that no string starts inside a multi-byte
            // character: each piece is then valid and decodes on the fast path.
            guard String(validating: text, as: UTF8.self) != nil else {
                throw InputError(file: file, field: field, "invalid UTF-8")
            }
            var result = [String]()
            result.reserveCapacity(count)
            var previous = 0
            for i in 0..<count {
                let end = Int(clamping: payload.loadUnaligned(fromByteOffset: 8 * (i + 2), as: UInt64.self))
                guard previous <= end, end <= text.count, end == text.count || text[end] & 0xC0 != 0x80 else {
                    throw InputError(file: file, field: field, "string offsets out of order, out of range or inside a character")
                }
                result.append(String(decoding: UnsafeBufferPointer(rebasing: text[previous..<end]), as: UTF8.self))
                previous = end
            }
            guard previous == text.count else { throw InputError(file: file, field: field, "string table has trailing bytes") }
            return result
        }
    }
}
