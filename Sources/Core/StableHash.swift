/// FNV-1a 64: a hash that never changes between runs or platforms (Swift's `Hasher` is
/// randomly seeded per process), used to key seeded draws by name and to fingerprint catalogs.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func combine(_ string: String) {
        for byte in string.utf8 { combine(byte: byte) }
        combine(byte: 0xFF)  // separator, so ("ab","c") and ("a","bc") differ
    }

    public mutating func combine(_ int: Int64) {
        var v = UInt64(bitPattern: int)
        for _ in 0..<8 { combine(byte: UInt8(truncatingIfNeeded: v)); v >>= 8 }
    }

    @inline(__always)
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    public static func of(_ string: String) -> UInt64 {
        var h = StableHash()
        h.combine(string)
        return h.value
    }
}

extension Catalog {
    /// Identity of a catalog's rows (titles and artists in order): a model trained on one
    /// catalog is refused on another with a different fingerprint.
    public var fingerprint: String {
        var h = StableHash()
        h.combine(Int64(count))
        for i in 0..<count {
            h.combine(titles[i])
            h.combine(artistNames[Int(artistOfTrack[i])])
        }
        return String(h.value, radix: 16)
    }
}
