/// Parses decimal numbers straight from bytes, without building a `String` per field.
/// The fast path is exact: up to 19 significant digits and a power of ten within 10^±22 give
/// one correctly rounded `Double` operation; anything else falls back to the standard library.
public enum DecimalParser {
    private static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// The number in `count` bytes at `p`, or nil when they are not one decimal number
    /// (optionally signed, with fraction and exponent; surrounding spaces allowed).
    public static func double(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var i = 0
        var n = count
        while i < n && p[i] == 0x20 { i += 1 }
        while n > i && p[n - 1] == 0x20 { n -= 1 }
        guard i < n else { return nil }
        let begin = i
        var negative = false
        if p[i] == 0x2D { negative = true; i += 1 } else if p[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = 0
        while i < n, case let d = p[i] &- 0x30, d < 10 {
            if significant > 0 || d != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(d) } else { exponent += 1 }
            digits += 1
            i += 1
        }
        if i < n && p[i] == 0x2E {
            i += 1
            while i < n, case let d = p[i] &- 0x30, d < 10 {
                if significant > 0 || d != 0 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(d); exponent -= 1 }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n && (p[i] == 0x65 || p[i] == 0x45) {
            i += 1
            var expNegative = false
            if i < n && (p[i] == 0x2D || p[i] == 0x2B) { expNegative = p[i] == 0x2D; i += 1 }
            var e = 0
            var expDigits = 0
            while i < n, case let d = p[i] &- 0x30, d < 10 {
                if e < 100_000 { e = e * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == n else { return nil }
        if significant <= 15 && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + begin, count: n - begin), as: UTF8.self)
        return Double(text)
    }

    /// As `double`, rounded once to `Float` (a correctly rounded double that sits exactly
    /// between two floats would round twice, so that rare case is re-parsed exactly).
    public static func float(_ p: UnsafePointer<UInt8>, _ count: Int) -> Float? {
        guard let d = double(p, count) else { return nil }
        let f = Float(d)
        if Double(f) != d && f.isFinite {
            let neighbour = Double(f) < d ? f.nextUp : f.nextDown
            if (Double(f) + Double(neighbour)) / 2 == d {
                let text = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
                return Float(text.trimmingSpaces())
            }
        }
        return f
    }

    /// A whole number (optionally signed, surrounding spaces allowed), or nil.
    public static func int(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var i = 0
        var n = count
        while i < n && p[i] == 0x20 { i += 1 }
        while n > i && p[n - 1] == 0x20 { n -= 1 }
        guard i < n else { return nil }
        var negative = false
        if p[i] == 0x2D { negative = true; i += 1 } else if p[i] == 0x2B { i += 1 }
        guard i < n, n - i <= 18 else { return nil }
        var value = 0
        while i < n {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
            i += 1
        }
        return negative ? -value : value
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String { self[...].trimmingCharacters(in: " ") }
}
