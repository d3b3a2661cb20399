import Core
import Testing
@testable import Recommenders

/// Clustered Gaussian data: `clusters` centres, points scattered around them.
func clusteredVectors(count: Int, dimension: Int, clusters: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    let centres = (0..<clusters * dimension).map { _ in Float(rng.nextGaussian()) }
    var out: [Float] = []
    out.reserveCapacity(count * dimension)
    for _ in 0..<count {
        let c = rng.nextIndex(clusters)
        for d in 0..<dimension { out.append(centres[c * dimension + d] + 0.35 * Float(rng.nextGaussian())) }
    }
    return out
}

func bruteForce(_ vectors: [Float], dimension: Int, query: [Float], k: Int, metric: HNSWMetric) -> [Int32] {
    let n = vectors.count / dimension
    func norm(_ v: ArraySlice<Float>) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let qn = norm(query[...])
    var scored: [(Float, Int32)] = []
    for i in 0..<n {
        let v = vectors[i * dimension..<(i + 1) * dimension]
        let d: Float
        switch metric {
        case .l2: d = zip(v, query).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        case .innerProduct: d = 1 - zip(v, query).reduce(0) { $0 + $1.0 * $1.1 }
        case .cosine: d = 1 - zip(v, query).reduce(0) { $0 + $1.0 * $1.1 } / (norm(v) * qn)
        }
        scored.append((d, Int32(i)))
    }
    scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    return scored.prefix(k).map(\.1)
}

@Suite("HNSW")
struct HNSWTests {
    @Test("recall@10 ≥ 0.95 against brute force on clustered data", arguments: [HNSWMetric.cosine, .l2, .innerProduct])
    func recall(metric: HNSWMetric) {
        let dim = 16
        // Inner product is served on vectors of equal norm (ALS items are augmented to one
        // norm), where it ranks like cosine; on raw vectors MIPS is not a proximity graph.
        // 1,000 indexed points and 100 queries drawn from the same clusters.
        let all = clusteredVectors(count: 1_100, dimension: dim, clusters: 20, seed: 7)
        var data = Array(all[..<(1_000 * dim)])
        var queries = Array(all[(1_000 * dim)...])
        if metric == .innerProduct {
            data.withUnsafeMutableBufferPointer { b in for i in 0..<1_000 { VectorMath.normalize(b.baseAddress! + i * dim, dim) } }
            queries.withUnsafeMutableBufferPointer { b in for i in 0..<100 { VectorMath.normalize(b.baseAddress! + i * dim, dim) } }
        }
        let index = HNSWIndex(vectors: data, dimension: dim, metric: metric,
                              parameters: HNSWParameters(m: 12, efConstruction: 64, seed: 1))
        var scratch = HNSWScratch()
        var hits = 0
        for q in 0..<100 {
            let query = Array(queries[q * dim..<(q + 1) * dim])
            index.search(query, k: 10, ef: 100, scratch: &scratch)
            let truth = Set(bruteForce(data, dimension: dim, query: query, k: 10, metric: metric))
            hits += scratch.ids.filter { truth.contains($0) }.count
        }
        let recall = Double(hits) / 1_000
        #expect(recall >= 0.95, "recall@10 = \(recall)")
    }

    @Test("same vectors and seed give the same graph; bytes round-trip")
    func determinismAndRoundTrip() throws {
        let data = clusteredVectors(count: 500, dimension: 8, clusters: 5, seed: 3)
        let p = HNSWParameters(m: 8, efConstruction: 40, seed: 9)
        let a = HNSWIndex(vectors: data, dimension: 8, metric: .cosine, parameters: p)
        let b = HNSWIndex(vectors: data, dimension: 8, metric: .cosine, parameters: p)
        #expect(a.encoded() == b.encoded())
        let c = try HNSWIndex(bytes: a.encoded())
        #expect(c.encoded() == a.encoded())
        var s1 = HNSWScratch(), s2 = HNSWScratch()
        let q = Array(data[0..<8])
        a.search(q, k: 5, ef: 20, scratch: &s1)
        c.search(q, k: 5, ef: 20, scratch: &s2)
        #expect(s1.ids == s2.ids)
        #expect(s1.ids.first == 0)
    }

    @Test("corrupt bytes are refused with an InputError")
    func corrupt() {
        let index = HNSWIndex(vectors: clusteredVectors(count: 50, dimension: 4, clusters: 2, seed: 1), dimension: 4, metric: .l2)
        var bytes = index.encoded()
        #expect(throws: InputError.self) { try HNSWIndex(bytes: Array(bytes.prefix(bytes.count - 3))) }
        bytes[0] ^= 0xFF
        #expect(throws: InputError.self) { try HNSWIndex(bytes: bytes) }
    }

    @Test("tiny indexes: empty, one vector, k larger than the index")
    func tiny() {
        var scratch = HNSWScratch()
        let empty = HNSWIndex(vectors: [], dimension: 3, metric: .l2)
        empty.search([0, 0, 0], k: 5, ef: 10, scratch: &scratch)
        #expect(scratch.ids.isEmpty)
        let one = HNSWIndex(vectors: [1, 2, 3], dimension: 3, metric: .l2)
        one.search([0, 0, 0], k: 5, ef: 10, scratch: &scratch)
        #expect(scratch.ids == [0])
    }
}
