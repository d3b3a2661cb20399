import CVectorKernels
import Core
import Testing

/// The vector table this CPU selects must agree with the portable one, including the lengths
/// that leave a tail after the 16- and 8-wide blocks.
struct VectorKernelsTests {
    let best = bv_best_kernels()!.pointee
    let generic = bv_generic_kernels()!.pointee

    func randomVector(_ n: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<n).map { _ in Float(rng.nextUnit()) * 2 - 1 }
    }

    @Test(arguments: [0, 1, 7, 8, 15, 16, 17, 31, 64, 100, 129])
    func bestAndGenericAgree(n: Int) {
        var rng = SeededGenerator(seed: UInt64(n), stream: 7)
        let a = randomVector(n, &rng), b = randomVector(n, &rng)
        let tolerance = Float(1e-5) * Float(max(n, 1))
        #expect(abs(best.dot(a, b, n) - generic.dot(a, b, n)) <= tolerance)
        #expect(abs(best.squared_l2(a, b, n) - generic.squared_l2(a, b, n)) <= tolerance)
        let exactDot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(Double(best.dot(a, b, n)) - exactDot) <= Double(tolerance))

        var y1 = b, y2 = b
        best.axpy(0.5, a, &y1, n)
        generic.axpy(0.5, a, &y2, n)
        for i in 0..<n { #expect(abs(y1[i] - y2[i]) <= 1e-6) }
        for i in 0..<n { #expect(abs(y1[i] - (b[i] + 0.5 * a[i])) <= 1e-6) }
    }

    @Test func selectionNamesTheInstructionSet() {
        let name = String(cString: best.name)
        #expect(["avx2+fma", "generic"].contains(name))
    }
}
