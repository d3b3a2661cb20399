import CVectorKernels
import Core
import Foundation
import Testing

/// The AVX2 table must agree with the portable one, including the lengths that leave a tail
/// after the 16- and 8-wide blocks. The AVX2 table is asked for by name (`bv_avx2_kernels`), not
/// as "whatever this CPU selects", so the comparison is never of a table with itself; on a CPU
/// without AVX2/FMA it is reported as skipped, and the portable table is still checked against
/// exact arithmetic.
struct VectorKernelsTests {
    static let hasAVX2 = bv_avx2_kernels() != nil
    let best = bv_best_kernels()!.pointee
    let generic = bv_generic_kernels()!.pointee
    /// Every table this CPU can run, the portable one first.
    var tables: [bv_kernels] { [generic] + (bv_avx2_kernels().map { [$0.pointee] } ?? []) }

    func randomVector(_ n: Int, _ rng: inout SeededGenerator) -> [Float] {
        (0..<n).map { _ in Float(rng.nextUnit()) * 2 - 1 }
    }

    @Test(.enabled(if: hasAVX2, "this CPU has no AVX2/FMA table to compare with the portable one"),
          arguments: [0, 1, 7, 8, 15, 16, 17, 31, 64, 100, 129])
    func avx2AndGenericAgree(n: Int) {
        let avx2 = bv_avx2_kernels()!.pointee
        #expect(String(cString: avx2.name) == "avx2+fma" && String(cString: generic.name) == "generic")
        var rng = SeededGenerator(seed: UInt64(n), stream: 7)
        let a = randomVector(n, &rng), b = randomVector(n, &rng)
        let tolerance = Float(1e-5) * Float(max(n, 1))
        #expect(abs(avx2.dot(a, b, n) - generic.dot(a, b, n)) <= tolerance)
        #expect(abs(avx2.squared_l2(a, b, n) - generic.squared_l2(a, b, n)) <= tolerance)
    }

    /// Every table this CPU runs against double-precision arithmetic.
    @Test(arguments: [0, 1, 7, 8, 15, 16, 17, 31, 64, 100, 129])
    func tablesMatchExactArithmetic(n: Int) {
        var rng = SeededGenerator(seed: UInt64(n), stream: 7)
        let a = randomVector(n, &rng), b = randomVector(n, &rng)
        let tolerance = 1e-5 * Double(max(n, 1))
        let exactDot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let exactL2 = zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        for table in tables {
            #expect(abs(Double(table.dot(a, b, n)) - exactDot) <= tolerance, "\(String(cString: table.name))")
            #expect(abs(Double(table.squared_l2(a, b, n)) - exactL2) <= tolerance, "\(String(cString: table.name))")
        }
    }

    /// hnsw_expand over a small node block: every table skips and tag the same visited ids,
    /// keep link order and give the same distances; without a visited array nothing is skipped.
    @Test(arguments: [(Int32(0), 16), (Int32(1), 16), (Int32(0), 13), (Int32(1), 64)])
    func hnswExpandAgrees(metric: Int32, dimension: Int) {
        var rng = SeededGenerator(seed: UInt64(dimension), stream: 8)
        let nodeCount = 40, offset = 12
        let stride = offset + dimension * 4 + 4
        var nodes = [UInt8](repeating: 0, count: nodeCount * stride)
        var vectors: [[Float]] = []
        for i in 0..<nodeCount {
            let v = randomVector(dimension, &rng)
            vectors.append(v)
            v.withUnsafeBytes { src in
                for (b, byte) in src.enumerated() { nodes[i * stride + offset + b] = byte }
            }
        }
        let query = randomVector(dimension, &rng)
        let links: [Int32] = [6, 3, 17, 5, 39, 0, 17]
        for table in tables {
            var visited = [UInt16](repeating: 4, count: nodeCount)
            visited[5] = 9
            var ids = [Int32](repeating: -1, count: 8), distances = [Float](repeating: 0, count: 8)
            let n = nodes.withUnsafeBufferPointer { nb in
                visited.withUnsafeMutableBufferPointer { vb in
                    var g = bv_hnsw_graph(nodes: UnsafeRawPointer(nb.baseAddress!).assumingMemoryBound(to: CChar.self),
                                          stride: stride, vector_offset: offset, dimension: dimension,
                                          metric: metric, visited: vb.baseAddress, epoch: 9)
                    return table.hnsw_expand(&g, links, query, nil, &ids, &distances)
                }
            }
            #expect(Array(ids.prefix(n)) == [3, 17, 39, 0])
            #expect(visited[3] == 9 && visited[17] == 9 && visited[39] == 9 && visited[0] == 9 && visited[1] == 4)
            for (j, id) in ids.prefix(n).enumerated() {
                let v = vectors[Int(id)]
                let exact = metric == 0 ? 1 - zip(query, v).reduce(0) { $0 + $1.0 * $1.1 }
                                        : zip(query, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                #expect(abs(distances[j] - exact) <= 1e-4 * Float(dimension))
            }
            let all = nodes.withUnsafeBufferPointer { nb in
                var g = bv_hnsw_graph(nodes: UnsafeRawPointer(nb.baseAddress!).assumingMemoryBound(to: CChar.self),
                                      stride: stride, vector_offset: offset, dimension: dimension,
                                      metric: metric, visited: nil, epoch: 0)
                return table.hnsw_expand(&g, links, query, nil, &ids, &distances)
            }
            #expect(all == 6 && Array(ids.prefix(all)) == Array(links.dropFirst()))
        }
    }

    /// The AVX2 table is offered exactly when the CPU has AVX2 and FMA (from /proc/cpuinfo,
    /// independent of the C dispatch), and the selected table is it unless BOTIFY_SIMD=generic.
    @Test func selectionMatchesTheCPU() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? [])
        let cpuHasAVX2 = flags.contains("avx2") && flags.contains("fma")
        #expect(Self.hasAVX2 == cpuHasAVX2)
        let forcedGeneric = ProcessInfo.processInfo.environment["BOTIFY_SIMD"] == "generic"
        #expect(String(cString: best.name) == (cpuHasAVX2 && !forcedGeneric ? "avx2+fma" : "generic"))
        #expect(String(cString: generic.name) == "generic")
    }
}
