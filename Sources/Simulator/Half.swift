/// IEEE 754 binary16 (NumPy's float16) rounding and encoding, done in Double so that it is
/// portable (`Float16` is missing on macOS x86_64) and free of double rounding.
enum Half {
    /// The largest finite binary16 value.
    static let greatest = 65504.0

    /// `x` rounded to the nearest binary16 value, ties to even; ±infinity beyond the range (as
    /// `Float16(x)` and NumPy's `npy_double_to_half` / `npy_float_to_half`).
    @inline(__always)
    static func round(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        // 11 significand bits; below 2^-14 (subnormals) the spacing stays 2^-24. Scaling by a
        // power of two is exact, so only `rounded` rounds.
        let quantum = Double(sign: .plus, exponent: max(Int(x.exponent), -14) - 10, significand: 1)
        let r = (x / quantum).rounded(.toNearestOrEven) * quantum
        return abs(r) > greatest ? (x < 0 ? -.infinity : .infinity) : r
    }

    @inline(__always)
    static func round(_ x: Float) -> Float { Float(round(Double(x))) }

    /// The binary16 bit pattern of `x`, which must already be a binary16 value (`round(x) == x`).
    static func bits(_ x: Float) -> UInt16 {
        precondition(x.isNaN || round(x) == x, "\(x) is not a float16 value")
        let sign: UInt16 = x.sign == .minus ? 0x8000 : 0
        let m = Double(x.magnitude)
        if x.isNaN { return 0x7E00 }
        if m.isInfinite { return sign | 0x7C00 }
        if m == 0 { return sign }
        let e = Int(m.exponent)
        if e < -14 { return sign | UInt16(m * 0x1p24) }
        return sign | UInt16(e + 15) << 10 | UInt16((m.significand - 1) * 1024)
    }
}
