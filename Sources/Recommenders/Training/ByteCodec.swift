import Core

/// Little-endian binary encoding for models and indexes. Arrays of Float/Int32 are copied in
/// bulk: every platform botify targets (x86-64, arm64) is little-endian, and the header
/// carries a magic number so a blob from elsewhere is refused instead of misread.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: Float) { write(value.bitPattern) }
    public mutating func write(_ value: Double) { write(value.bitPattern) }

    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func write(_ values: [Float]) {
        write(UInt64(values.count))
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ values: [Int32]) {
        write(UInt64(values.count))
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ values: [UInt8]) {
        write(UInt64(values.count))
        bytes.append(contentsOf: values)
    }
}

/// Reads what `ByteWriter` wrote; any truncation or absurd length is an `InputError` naming
/// the blob and the field, never a crash.
public struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0
    /// What is being read ("model 'als'"), for messages.
    public let what: String

    public init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    public var isAtEnd: Bool { offset == bytes.count }

    private mutating func take(_ n: Int, field: String) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - offset else {
            throw InputError(file: what, field: field, "truncated or corrupt data (needs \(n) bytes at offset \(offset) of \(bytes.count))")
        }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    public mutating func read<T: FixedWidthInteger>(_: T.Type, field: String) throws -> T {
        let slice = try take(MemoryLayout<T>.size, field: field)
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { dst in slice.withUnsafeBytes { dst.copyMemory(from: $0) } }
        return T(littleEndian: value)
    }

    public mutating func readFloat(field: String) throws -> Float { Float(bitPattern: try read(UInt32.self, field: field)) }
    public mutating func readDouble(field: String) throws -> Double { Double(bitPattern: try read(UInt64.self, field: field)) }

    public mutating func readString(field: String) throws -> String {
        let n = Int(try read(UInt32.self, field: field))
        return String(decoding: try take(n, field: field), as: UTF8.self)
    }

    private mutating func readCount(field: String, elementSize: Int) throws -> Int {
        let n = try read(UInt64.self, field: field)
        guard n <= UInt64((bytes.count - offset) / elementSize) else {
            throw InputError(file: what, field: field, value: String(n), "array longer than the remaining data")
        }
        return Int(n)
    }

    public mutating func readFloats(field: String) throws -> [Float] {
        try readArray(field: field)
    }

    public mutating func readInt32s(field: String) throws -> [Int32] {
        try readArray(field: field)
    }

    private mutating func readArray<T: BitwiseCopyable>(field: String) throws -> [T] {
        let size = MemoryLayout<T>.stride
        let n = try readCount(field: field, elementSize: size)
        let slice = try take(n * size, field: field)
        return [T](unsafeUninitializedCapacity: n) { buf, count in
            slice.withUnsafeBytes { UnsafeMutableRawBufferPointer(buf).copyMemory(from: $0) }
            count = n
        }
    }

    public mutating func readBytes(field: String) throws -> [UInt8] {
        let n = try readCount(field: field, elementSize: 1)
        return Array(try take(n, field: field))
    }
}
