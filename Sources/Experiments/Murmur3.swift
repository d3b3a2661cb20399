import Core

/// MurmurHash3 x86 32-bit, the hash the botify course's `experiment.py` uses (through `mmh3`)
/// to put users into arms. Bit-exact with the reference implementation.
public enum Murmur3 {
    public static func x86_32<Bytes: Sequence>(_ bytes: Bytes, seed: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        let c1: UInt32 = 0xCC9E_2D51
        let c2: UInt32 = 0x1B87_3593
        var h = seed
        var length: UInt32 = 0
        var block: UInt32 = 0
        var filled: UInt32 = 0
        for byte in bytes {
            block |= UInt32(byte) << (8 * filled)
            filled += 1
            length &+= 1
            if filled == 4 {
                var k = block &* c1
                k = (k << 15) | (k >> 17)
                k = k &* c2
                h ^= k
                h = (h << 13) | (h >> 19)
                h = h &* 5 &+ 0xE654_6B64
                block = 0
                filled = 0
            }
        }
        if filled > 0 {
            var k = block &* c1
            k = (k << 15) | (k >> 17)
            k = k &* c2
            h ^= k
        }
        h ^= length
        h ^= h >> 16
        h = h &* 0x85EB_CA6B
        h ^= h >> 13
        h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    public static func x86_32(_ string: String, seed: UInt32 = 0) -> UInt32 {
        x86_32(string.utf8, seed: seed)
    }
}
