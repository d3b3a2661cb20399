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
    }

    /// hnsw_expand over a small node block: both tables skip and tag the same visited ids,
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
        for table in [best, generic] {
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

    /// The table matches what the CPU offers (from /proc/cpuinfo, independent of the C
    /// dispatch), so on an AVX2 machine the agreement tests above compare two different tables.
    @Test func selectionMatchesTheCPU() throws {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? [])
        let expected = flags.contains("avx2") && flags.contains("fma") ? "avx2+fma" : "generic"
        #expect(String(cString: best.name) == expected)
        if expected != "generic" { #expect(String(cString: generic.name) == "generic") }
    }
}
