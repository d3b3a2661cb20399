/// xoshiro256** seeded through SplitMix64: fast, small state, and identical on every platform,
/// so a seed reproduces the same run anywhere. Every random choice in botify draws from one.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = SeededGenerator.splitMix(&sm)
        s1 = SeededGenerator.splitMix(&sm)
        s2 = SeededGenerator.splitMix(&sm)
        s3 = SeededGenerator.splitMix(&sm)
    }

    /// A generator for an independent stream, e.g. one per (seed, user, session), so results
    /// do not depend on which thread handles which stream or in what order.
    public init(seed: UInt64, stream: UInt64...) {
        var mixed = seed
        for part in stream { mixed = SeededGenerator.mix(mixed ^ SeededGenerator.mix(part &+ 0x9E37_79B9_7F4A_7C15)) }
        self.init(seed: mixed)
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift; bias is below 2^-32 for our sizes).
    @inline(__always)
    public mutating func nextIndex(_ bound: Int) -> Int {
        precondition(bound > 0)
        // Parenthesised: in Swift `>>` binds tighter than `&*`.
        return Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Standard normal by Box–Muller (one value per call; deterministic, no cached state).
    public mutating func nextGaussian() -> Double {
        var u1 = nextUnit()
        while u1 <= .leastNormalMagnitude { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * .pi * u2)
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
