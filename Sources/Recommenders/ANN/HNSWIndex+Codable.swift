import Core

extension HNSWIndex {
    private static let magic: UInt32 = 0x574E_4842  // "BHNW"
    private static let version: UInt32 = 1

    /// The whole index (parameters, vectors, graph) as bytes; `init(bytes:)` restores it.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(Self.magic)
        w.write(Self.version)
        w.write(UInt32(dimension))
        w.write(metric.rawValue)
        w.write(UInt32(parameters.m))
        w.write(UInt32(parameters.efConstruction))
        w.write(parameters.seed)
        w.write(entryPoint)
        w.write(Int32(maxLevel))
        w.write(levels)
        w.write((0..<count).flatMap { UnsafeBufferPointer(start: vector(Int32($0)), count: dimension) })
        w.write((0..<count).flatMap { UnsafeBufferPointer(start: links(Int32($0), 0), count: maxM0 + 1) })
        w.write(Array(UnsafeBufferPointer(start: upper, count: upperCount)))
        return w.bytes
    }

    /// Restores an index written by `encoded()`; a corrupt blob (bad magic, ids out of range,
    /// wrong sizes) is an `InputError`, never a crash at search time.
    public convenience init(bytes: [UInt8], what: String = "HNSW index") throws {
        var r = ByteReader(bytes, what: what)
        guard try r.read(UInt32.self, field: "magic") == Self.magic else {
            throw InputError(file: what, field: "magic", "not an HNSW index")
        }
        let version = try r.read(UInt32.self, field: "version")
        guard version == Self.version else {
            throw InputError(file: what, field: "version", value: String(version), "unsupported HNSW index version")
        }
        let dimension = Int(try r.read(UInt32.self, field: "dimension"))
        guard let metric = HNSWMetric(rawValue: try r.read(UInt8.self, field: "metric")) else {
            throw InputError(file: what, field: "metric", "unknown metric")
        }
        let m = Int(try r.read(UInt32.self, field: "m"))
        let efConstruction = Int(try r.read(UInt32.self, field: "efConstruction"))
        let seed = try r.read(UInt64.self, field: "seed")
        let entry = try r.read(Int32.self, field: "entryPoint")
        let maxLevel = Int(try r.read(Int32.self, field: "maxLevel"))
        let levels = try r.readBytes(field: "levels")
        let vectors = try r.readFloats(field: "vectors")
        let level0 = try r.readInt32s(field: "level0")
        let upper = try r.readInt32s(field: "upper")
        let n = levels.count
        guard dimension > 0, m >= 2, vectors.count == n * dimension, level0.count == n * (2 * m + 1),
              (n == 0 && entry == -1) || (entry >= 0 && Int(entry) < n && maxLevel == Int(levels[Int(entry)])) else {
            throw InputError(file: what, field: "sizes", "index sections do not fit together")
        }
        self.init(dimension: dimension, metric: metric,
                  parameters: HNSWParameters(m: m, efConstruction: efConstruction, seed: seed), levels: levels)
        guard upper.count == upperCount else {
            throw InputError(file: what, field: "upper", "upper-layer links do not match the levels")
        }
        func valid(_ list: ArraySlice<Int32>, cap: Int) -> Bool {
            guard let degree = list.first, degree >= 0, Int(degree) <= cap else { return false }
            return list.dropFirst().prefix(Int(degree)).allSatisfy { $0 >= 0 && Int($0) < n }
        }
        for i in 0..<n where !valid(level0[(i * (2 * m + 1))...].prefix(2 * m + 1), cap: 2 * m) {
            throw InputError(file: what, field: "level0", value: String(i), "corrupt links")
        }
        var start = 0
        while start < upper.count {
            guard valid(upper[start..<start + m + 1], cap: m) else {
                throw InputError(file: what, field: "upper", value: String(start), "corrupt links")
            }
            start += m + 1
        }
        for i in 0..<n {
            vectors.withUnsafeBufferPointer { vector(Int32(i)).update(from: $0.baseAddress! + i * dimension, count: dimension) }
            level0.withUnsafeBufferPointer { links(Int32(i), 0).update(from: $0.baseAddress! + i * (2 * m + 1), count: 2 * m + 1) }
        }
        upper.withUnsafeBufferPointer { if let b = $0.baseAddress { self.upper.update(from: b, count: upper.count) } }
        self.entryPoint = entry
        self.maxLevel = maxLevel
        guard r.isAtEnd else { throw InputError(file: what, field: "end", "trailing bytes after the index") }
    }
}
