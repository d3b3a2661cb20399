/// Dense Float32 kernels over raw pointers: the inner loops of iALS and the exact scans (HNSW
/// measures through CVectorKernels). Written with SIMD types and several accumulators so the
/// optimiser emits vector code without relying on auto-vectorisation of a scalar loop (which
/// the reduction order would forbid).
public enum VectorMath {
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var i = 0
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>()
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 16 <= n {
            s0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            s1 += ra.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4 + 32, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= n {
            s0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var s = (s0 + s1).sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    /// Scales `v` to unit length in place (a zero vector stays zero).
    public static func normalize(_ v: UnsafeMutablePointer<Float>, _ n: Int) {
        let norm = dot(v, v, n).squareRoot()
        guard norm > 0 else { return }
        let inv = 1 / norm
        for i in 0..<n { v[i] *= inv }
    }
}
