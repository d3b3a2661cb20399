import Core
import Foundation
import Recommenders
import Simulator

/// Writes clustered unit vectors, queries and their exact neighbours, then builds botify's
/// HNSW on one thread and answers the queries one call at a time for each ef.
func compareHNSW(_ args: Arguments) throws {
    let out = URL(fileURLWithPath: args.string("out"), isDirectory: true)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let n = args.int("n", 100_000), dim = args.int("dim", 64), queryCount = args.int("queries", 1_000)
    let m = args.int("M", 16), efConstruction = args.int("ef-construction", 200)
    let efs = args.ints("ef", [16, 32, 64, 128])
    let seed = UInt64(args.int("seed", 7))

    let (base, queries) = clusteredUnitVectors(n: n, queries: queryCount, dim: dim, clusters: args.int("clusters", 200), seed: seed)
    let truth = exactNeighbours(base: base, queries: queries, dim: dim, k: 10)
    try NumpyWriter.data(base, shape: [n, dim]).write(to: out.appendingPathComponent("base.npy"))
    try NumpyWriter.data(queries, shape: [queryCount, dim]).write(to: out.appendingPathComponent("queries.npy"))
    try NumpyWriter.data(truth, shape: [queryCount, 10]).write(to: out.appendingPathComponent("truth.npy"))

    let clock = ContinuousClock()
    var built: HNSWIndex?
    let buildTime = clock.measure {
        built = HNSWIndex(vectors: base, dimension: dim, metric: .innerProduct,
                          parameters: HNSWParameters(m: m, efConstruction: efConstruction, seed: seed))
    }
    let index = built!
    print("botify HNSW build: \(String(format: "%.2f", buildTime.seconds)) s")
    var qps: [String: Double] = [:]
    // Queries per second of this thread's CPU time too: steadier than wall time while other
    // jobs share the cores (the Python side reports the same with time.thread_time).
    var cpuQPS: [String: Double] = [:]
    var scratch = HNSWScratch()
    // The machine is shared: each ef is timed over several passes and the fastest counts, on
    // both sides (compare_references.py reads `passes` from meta.json).
    let passes = max(1, args.int("passes", 3))
    for ef in efs {
        var found = Array(repeating: Int32(-1), count: queryCount * 10)
        var fastest: Duration?
        var fastestCPU = Double.infinity
        for _ in 0..<passes {
            let cpuStart = threadCPUSeconds()
            let elapsed = queries.withUnsafeBufferPointer { q in
                clock.measure {
                    for i in 0..<queryCount {
                        index.search(UnsafeBufferPointer(rebasing: q[(i * dim)..<((i + 1) * dim)]), k: 10, ef: ef, scratch: &scratch)
                        for (j, id) in scratch.ids.prefix(10).enumerated() { found[i * 10 + j] = id }
                    }
                }
            }
            fastestCPU = min(fastestCPU, threadCPUSeconds() - cpuStart)
            fastest = min(fastest ?? elapsed, elapsed)
        }
        qps[String(ef)] = Double(queryCount) / fastest!.seconds
        cpuQPS[String(ef)] = Double(queryCount) / fastestCPU
        try NumpyWriter.data(found, shape: [queryCount, 10]).write(to: out.appendingPathComponent("botify_found_ef\(ef).npy"))
        print("botify HNSW ef \(ef): \(Int(qps[String(ef)]!)) queries/s")
    }
    let meta: [String: Any] = ["n": n, "dim": dim, "queries": queryCount, "M": m, "ef_construction": efConstruction, "ef": efs,
                               "seed": Int(seed), "passes": passes, "botify_build_seconds": buildTime.seconds, "botify_qps": qps, "botify_cpu_qps": cpuQPS]
    try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys]).write(to: out.appendingPathComponent("meta.json"))
}

/// Gaussian clusters on the unit sphere; queries come from the same clusters but are not in the base.
private func clusteredUnitVectors(n: Int, queries: Int, dim: Int, clusters: Int, seed: UInt64) -> ([Float], [Float]) {
    var rng = SeededGenerator(seed: seed, stream: 3)
    let centres = (0..<(clusters * dim)).map { _ in Float(rng.nextGaussian()) }
    func draw(_ count: Int) -> [Float] {
        var v = [Float](repeating: 0, count: count * dim)
        for i in 0..<count {
            let c = rng.nextIndex(clusters)
            var norm: Float = 0
            for d in 0..<dim {
                let x = centres[c * dim + d] + 0.7 * Float(rng.nextGaussian())
                v[i * dim + d] = x
                norm += x * x
            }
            let inv = 1 / norm.squareRoot()
            for d in 0..<dim { v[i * dim + d] *= inv }
        }
        return v
    }
    return (draw(n), draw(queries))
}

/// Exact top-k by inner product, both cores.
private func exactNeighbours(base: [Float], queries: [Float], dim: Int, k: Int) -> [Int32] {
    let n = base.count / dim, q = queries.count / dim
    var truth = Array(repeating: Int32(-1), count: q * k)
    truth.withUnsafeMutableBufferPointer { out in
        let box = UnsafeSendableBuffer(out.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: q) { i in
            var scored = [(Float, Int32)]()
            scored.reserveCapacity(n)
            for j in 0..<n {
                var s: Float = 0
                for d in 0..<dim { s += queries[i * dim + d] * base[j * dim + d] }
                scored.append((s, Int32(j)))
            }
            let best = scored.sorted { $0.0 > $1.0 }.prefix(k)
            for (r, hit) in best.enumerated() { box.pointer[i * k + r] = hit.1 }
        }
    }
    return truth
}

private func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

