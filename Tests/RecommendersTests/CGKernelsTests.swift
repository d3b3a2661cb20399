import CVectorKernels
import Core
import Testing

/// The AVX2 iALS kernels must agree with the portable ones, for the widths with an unrolled
/// AVX2 copy, other multiples of 8, and widths that fall back to portable code; rows long
/// enough to span several blocks of non-zeros and short ones that leave a tail. The AVX2 table
/// is asked for by name (`bv_avx2_kernels`), so a CPU without it skips the comparison visibly
/// instead of comparing the portable table with itself.
struct CGKernelsTests {
    static let hasAVX2 = bv_avx2_kernels() != nil
    let generic = bv_generic_kernels()!.pointee

    @Test(.enabled(if: hasAVX2, "this CPU has no AVX2/FMA table to compare with the portable one"),
          arguments: [8, 13, 16, 24, 32, 64, 128])
    func solverAgrees(k: Int) {
        let best = bv_avx2_kernels()!.pointee
        var rng = SeededGenerator(seed: UInt64(k), stream: 11)
        let n = 300
        let other = (0..<n * k).map { _ in Float(rng.nextUnit()) * 0.2 - 0.1 }
        var gram = Array(repeating: Float(0), count: k * k)
        generic.gram_accumulate(other, n, k, &gram)
        for a in 0..<k { gram[a * k + a] += 0.05 }
        let counts = [0, 1, 7, 8, 9, 63, 64, 65, 150]
        var offsets = [0], indices: [Int32] = [], values: [Float] = []
        for c in counts {
            var chosen = Set<Int32>()
            while chosen.count < c { chosen.insert(Int32(rng.nextIndex(n))) }
            indices += chosen.sorted()
            values += (0..<c).map { _ in Float(1 + rng.nextIndex(5)) }
            offsets.append(indices.count)
        }
        let start = (0..<counts.count * k).map { _ in Float(rng.nextUnit()) * 0.01 }
        var a = start, b = start
        best.ials_cg_rows(&a, other, gram, offsets, indices, values, k, 2, 3, 0, counts.count)
        generic.ials_cg_rows(&b, other, gram, offsets, indices, values, k, 2, 3, 0, counts.count)
        #expect(a != start)
        let scale = b.map(abs).max()!
        for i in 0..<a.count { #expect(abs(a[i] - b[i]) <= 1e-4 * scale, "k \(k) entry \(i): \(a[i]) vs \(b[i])") }
    }

    /// Every table this CPU runs against double-precision sums.
    @Test(arguments: [8, 13, 64])
    func gramAgrees(k: Int) {
        let best = bv_avx2_kernels()?.pointee ?? generic
        var rng = SeededGenerator(seed: UInt64(k), stream: 12)
        let n = 250
        let f = (0..<n * k).map { _ in Float(rng.nextUnit()) * 2 - 1 }
        var a = Array(repeating: Float(1), count: k * k), b = a
        best.gram_accumulate(f, n, k, &a)
        generic.gram_accumulate(f, n, k, &b)
        for x in 0..<k {
            for y in 0..<k {
                var exact = 1.0
                for r in 0..<n { exact += Double(f[r * k + x]) * Double(f[r * k + y]) }
                #expect(abs(Double(a[x * k + y]) - exact) <= 1e-3 && abs(Double(b[x * k + y]) - exact) <= 1e-3)
            }
        }
    }
}
