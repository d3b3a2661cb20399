/// Fractions and latencies arrive as `Float`. Stored as the plain widening `Double(f)`, the
/// simulator's 0.37 would read 0.370000004768372 in the sqlite3 shell and in exports. This
/// picks the shortest of 2, 4 or 6 decimals that still converts back to the same `Float`
/// (so nothing is lost), and the exact widening otherwise. A few multiplications: cheap
/// enough for the batch path.
@inline(__always)
func storedDecimal(_ value: Float) -> Double {
    let wide = Double(value)
    guard wide.magnitude < 1e9 else { return wide }
    if let short = rounded(wide, scale: 100, matching: value) { return short }
    if let short = rounded(wide, scale: 10_000, matching: value) { return short }
    return rounded(wide, scale: 1_000_000, matching: value) ?? wide
}

@inline(__always)
private func rounded(_ wide: Double, scale: Double, matching value: Float) -> Double? {
    let candidate = (wide * scale).rounded() / scale
    return Float(candidate) == value ? candidate : nil
}

/// Session lengths are sums of stored fractions; 0.1 + 0.2 would read 0.30000000000000004.
/// Six decimals are far below a `Float` fraction's own precision.
@inline(__always)
func storedLength(_ sum: Double) -> Double {
    (sum * 1_000_000).rounded() / 1_000_000
}

/// Latencies arrive as `Float` microseconds and are kept as integer nanoseconds, which the
/// `plays` view divides back into microseconds.
@inline(__always)
func storedNanoseconds(_ micros: Float) -> Int64 {
    let nanos = (Double(micros) * 1000).rounded()
    return nanos.isFinite ? Int64(max(min(nanos, 9e18), -9e18)) : 0
}
