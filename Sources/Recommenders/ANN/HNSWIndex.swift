import CVectorKernels
import Core

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// How HNSW compares vectors. Inner product and cosine use `1 − a·b` (cosine normalises
/// vectors on insert and queries on search); l2 uses the squared Euclidean distance.
public enum HNSWMetric: UInt8, Sendable, CaseIterable {
    case innerProduct = 0, cosine = 1, l2 = 2
}

public struct HNSWParameters: Sendable, Equatable {
    /// Links per node on upper layers; layer 0 keeps up to 2·M.
    public var m: Int
    public var efConstruction: Int
    public var seed: UInt64

    public init(m: Int = 16, efConstruction: Int = 200, seed: UInt64 = 42) {
        self.m = max(2, m)
        self.efConstruction = max(1, efConstruction)
        self.seed = seed
    }
}

/// Per-query working memory: a visited set cleared by bumping an epoch, two heaps and the
/// buffers one node's expansion fills. Reused across queries, so a warmed-up search allocates
/// nothing. One per thread.
public struct HNSWScratch {
    /// 16-bit tags as in hnswlib: half the cache footprint of 32-bit ones, cleared in full
    /// once every 65,535 queries.
    var visited: [UInt16] = []
    var epoch: UInt16 = 0
    var frontier = CandidateHeap<NearestFirst>()
    var best = CandidateHeap<FarthestFirst>()
    var query: [Float] = []
    var expandedIDs: [Int32] = []
    var expandedDistances: [Float] = []
    /// The last search's hits, closest first.
    public private(set) var ids: [Int32] = []
    public private(set) var distances: [Float] = []

    public init() {}

    mutating func prepare(count: Int, dimension: Int, maxDegree: Int) {
        if visited.count < count { visited = Array(repeating: 0, count: count); epoch = 0 }
        if query.count < dimension { query = Array(repeating: 0, count: dimension) }
        if expandedIDs.count < maxDegree {
            expandedIDs = Array(repeating: 0, count: maxDegree)
            expandedDistances = Array(repeating: 0, count: maxDegree)
        }
        epoch &+= 1
        if epoch == 0 {  // wrapped: forget every old mark
            for i in visited.indices { visited[i] = 0 }
            epoch = 1
        }
        frontier.makeUnique()
        best.makeUnique()
    }

    /// Moves the `k` closest of `best` into ids/distances, closest first (equal distances by
    /// id). An insertion into a sorted run of at most k: k is small next to ef, and scanning
    /// from the heap's leaves meets the closest entries early, so few insertions shift.
    mutating func drainBest(k: Int) {
        ids.removeAll(keepingCapacity: true)
        distances.removeAll(keepingCapacity: true)
        best.forEachFromLeaves { key, id in
            if ids.count == k {
                guard let lastKey = distances.last, let lastID = ids.last,
                      key < lastKey || (key == lastKey && id < lastID) else { return }
                ids.removeLast()
                distances.removeLast()
            }
            var i = ids.count
            while i > 0 && (key < distances[i - 1] || (key == distances[i - 1] && id < ids[i - 1])) { i -= 1 }
            ids.insert(id, at: i)
            distances.insert(key, at: i)
        }
        best.makeUnique()
    }
}

/// Hierarchical navigable small-world graph (Malkov & Yashunin) over contiguous Float32
/// vectors. Built single-threaded from a seeded level draw, so the same vectors and seed
/// always give the same graph; immutable once built, so any number of threads may search it
/// (each with its own `HNSWScratch`).
public final class HNSWIndex: @unchecked Sendable {
    public let dimension: Int
    public let count: Int
    public let metric: HNSWMetric
    public let parameters: HNSWParameters
    let maxM0: Int
    /// One 64-byte-aligned block per node: the vector (normalised for cosine) on whole cache
    /// lines (a 64-float vector is 4 lines where hnswlib's unaligned layout spans 5), then the
    /// layer-0 links (slot 0 the degree, then up to maxM0 ids).
    let nodes: UnsafeMutableRawPointer
    let nodeStride: Int
    let vectorBytes: Int
    let levels: [UInt8]
    /// Start of a node's upper-layer links in `upper` (−1 when it lives on layer 0 only);
    /// each upper layer takes m + 1 slots laid out like layer 0.
    let upperOffsets: [Int32]
    let upper: UnsafeMutablePointer<Int32>
    let upperCount: Int
    public internal(set) var entryPoint: Int32 = -1
    public internal(set) var maxLevel = -1
    /// AVX2/FMA or portable C, chosen once per process.
    let kernels = bv_best_kernels()!.pointee

    /// Allocates an unlinked graph whose nodes have the given levels.
    init(dimension: Int, metric: HNSWMetric, parameters: HNSWParameters, levels: [UInt8]) {
        self.dimension = dimension
        self.count = levels.count
        self.metric = metric
        self.parameters = parameters
        self.levels = levels
        maxM0 = 2 * parameters.m
        vectorBytes = (dimension * 4 + 15) & ~15
        nodeStride = (vectorBytes + (maxM0 + 1) * 4 + 63) & ~63
        nodes = RandomAccessMemory.allocate(byteCount: max(64, count * nodeStride))
        for i in 0..<count {
            let block = nodes + i * nodeStride
            block.initializeMemory(as: Float.self, repeating: 0, count: dimension)
            (block + vectorBytes).initializeMemory(as: Int32.self, repeating: 0, count: maxM0 + 1)
        }
        var offsets = Array(repeating: Int32(-1), count: levels.count)
        var size = 0
        for (i, level) in levels.enumerated() where level > 0 {
            offsets[i] = Int32(size)
            size += Int(level) * (parameters.m + 1)
        }
        upperOffsets = offsets
        upperCount = size
        upper = .allocate(capacity: max(1, size))
        upper.initialize(repeating: 0, count: max(1, size))
    }

    deinit {
        nodes.deallocate()
        upper.deallocate()
    }

    /// Builds an index over `vectors` (row-major, `vectors.count / dimension` rows).
    public convenience init(vectors source: [Float], dimension: Int, metric: HNSWMetric,
                            parameters: HNSWParameters = HNSWParameters()) {
        precondition(dimension > 0 && source.count % dimension == 0, "vectors must be count × dimension")
        let n = source.count / dimension
        var rng = SeededGenerator(seed: parameters.seed, stream: 0x484E_5357)
        let mL = 1 / log(Double(parameters.m))
        let levels = (0..<n).map { _ in UInt8(min(Int(-log(max(rng.nextUnit(), 1e-300)) * mL), 31)) }
        self.init(dimension: dimension, metric: metric, parameters: parameters, levels: levels)
        source.withUnsafeBufferPointer { b in
            for i in 0..<n { vector(Int32(i)).update(from: b.baseAddress! + i * dimension, count: dimension) }
        }
        if metric == .cosine {
            for i in 0..<n { VectorMath.normalize(vector(Int32(i)), dimension) }
        }
        var scratch = HNSWScratch()
        for i in 0..<n { insert(Int32(i), scratch: &scratch) }
    }

    @inline(__always)
    func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        metric == .l2 ? kernels.squared_l2(a, b, dimension) : 1 - kernels.dot(a, b, dimension)
    }

    /// What the C expansion kernel needs to find vectors and mark visits.
    func graph(visited: UnsafeMutablePointer<UInt16>?, epoch: UInt16) -> bv_hnsw_graph {
        bv_hnsw_graph(nodes: UnsafePointer(nodes.assumingMemoryBound(to: CChar.self)), stride: nodeStride,
                      vector_offset: 0, dimension: dimension, metric: metric == .l2 ? 1 : 0,
                      visited: visited, epoch: epoch)
    }

    @inline(__always)
    func vector(_ id: Int32) -> UnsafeMutablePointer<Float> {
        (nodes + Int(id) * nodeStride).assumingMemoryBound(to: Float.self)
    }

    /// The link list of `node` on `level`: slot 0 is the degree.
    @inline(__always)
    func links(_ node: Int32, _ level: Int) -> UnsafeMutablePointer<Int32> {
        if level == 0 { return (nodes + Int(node) * nodeStride + vectorBytes).assumingMemoryBound(to: Int32.self) }
        return upper + Int(upperOffsets[Int(node)]) + (level - 1) * (parameters.m + 1)
    }

    /// Walks greedily to the closest node on one layer (the upper-layer descent).
    private func greedy(_ q: UnsafePointer<Float>, from start: Int32, level: Int,
                        ids: inout [Int32], distances: inout [Float]) -> (Int32, Float) {
        var cur = start
        var curDist = distance(q, vector(cur))
        var g = graph(visited: nil, epoch: 0)
        ids.withUnsafeMutableBufferPointer { ids in
            distances.withUnsafeMutableBufferPointer { distances in
                var changed = true
                while changed {
                    changed = false
                    let n = kernels.hnsw_expand(&g, links(cur, level), q, nil, ids.baseAddress!, distances.baseAddress!)
                    for j in 0..<n where distances[j] < curDist {
                        curDist = distances[j]
                        cur = ids[j]
                        changed = true
                    }
                }
            }
        }
        return (cur, curDist)
    }

    /// Best-first search of one layer; leaves up to `ef` nearest in `best`. The C kernel marks
    /// and measures a node's unvisited neighbours in one call (prefetching their vectors
    /// together); the heaps stay here.
    private func searchLayer(_ q: UnsafePointer<Float>, entry: Int32, entryDistance: Float, ef: Int, level: Int,
                             visited: inout [UInt16], epoch: UInt16, ids: inout [Int32], distances: inout [Float],
                             frontier: inout CandidateHeap<NearestFirst>, best: inout CandidateHeap<FarthestFirst>) {
        visited.withUnsafeMutableBufferPointer { visited in
            ids.withUnsafeMutableBufferPointer { ids in
                distances.withUnsafeMutableBufferPointer { distances in
                    visited[Int(entry)] = epoch
                    var g = graph(visited: visited.baseAddress, epoch: epoch)
                    searchLayer(q, entry: entry, entryDistance: entryDistance, ef: ef, level: level, graph: &g,
                                ids: ids.baseAddress!, distances: distances.baseAddress!,
                                frontier: &frontier, best: &best)
                }
            }
        }
    }

    private func searchLayer(_ q: UnsafePointer<Float>, entry: Int32, entryDistance: Float, ef: Int,
                             level: Int, scratch: inout HNSWScratch) {
        searchLayer(q, entry: entry, entryDistance: entryDistance, ef: ef, level: level,
                    visited: &scratch.visited, epoch: scratch.epoch,
                    ids: &scratch.expandedIDs, distances: &scratch.expandedDistances,
                    frontier: &scratch.frontier, best: &scratch.best)
    }

    private func searchLayer(_ q: UnsafePointer<Float>, entry: Int32, entryDistance: Float, ef: Int, level: Int,
                             graph g: inout bv_hnsw_graph, ids: UnsafeMutablePointer<Int32>,
                             distances: UnsafeMutablePointer<Float>,
                             frontier: inout CandidateHeap<NearestFirst>, best: inout CandidateHeap<FarthestFirst>) {
        let expand = kernels.hnsw_expand!
        frontier.push(entryDistance, entry)
        best.push(entryDistance, entry)
        var bound = entryDistance
        while !frontier.isEmpty {
            let cd = frontier.topKey
            if cd > bound && best.count >= ef { break }
            let c = frontier.topID
            frontier.pop()
            let next = frontier.isEmpty ? nil : UnsafeRawPointer(links(frontier.topID, level))
            let n = expand(&g, links(c, level), q, next, ids, distances)
            for j in 0..<n {
                let d = distances[j]
                if best.count < ef {
                    frontier.push(d, ids[j])
                    best.push(d, ids[j])
                    bound = best.topKey
                } else if d < bound {
                    frontier.push(d, ids[j])
                    best.replaceTop(d, ids[j])
                    bound = best.topKey
                }
            }
        }
    }

    /// hnswlib's neighbour heuristic: keep a candidate only if it is closer to the base than
    /// to every neighbour already kept, which spreads links across directions.
    private func selectNeighbours(_ candidates: [(Float, Int32)], limit: Int) -> [Int32] {
        var kept: [Int32] = []
        kept.reserveCapacity(limit)
        for (d, e) in candidates {
            if kept.count >= limit { break }
            var good = true
            for r in kept where distance(vector(e), vector(r)) < d {
                good = false
                break
            }
            if good { kept.append(e) }
        }
        return kept
    }

    private func insert(_ node: Int32, scratch: inout HNSWScratch) {
        let level = Int(levels[Int(node)])
        guard entryPoint >= 0 else {
            entryPoint = node
            maxLevel = level
            return
        }
        let q = UnsafePointer(vector(node))
        var cur = entryPoint
        var curDist = distance(q, vector(cur))
        var l = maxLevel
        scratch.prepare(count: count, dimension: dimension, maxDegree: maxM0)
        while l > level {
            (cur, curDist) = greedy(q, from: cur, level: l, ids: &scratch.expandedIDs, distances: &scratch.expandedDistances)
            l -= 1
        }
        for layer in stride(from: min(level, maxLevel), through: 0, by: -1) {
            scratch.prepare(count: count, dimension: dimension, maxDegree: maxM0)
            searchLayer(q, entry: cur, entryDistance: curDist, ef: parameters.efConstruction, level: layer, scratch: &scratch)
            var found: [(Float, Int32)] = []
            found.reserveCapacity(scratch.best.count)
            while !scratch.best.isEmpty {
                found.append((scratch.best.topKey, scratch.best.topID))
                scratch.best.pop()
            }
            found.reverse()
            cur = found[0].1
            curDist = found[0].0
            let cap = layer == 0 ? maxM0 : parameters.m
            let chosen = selectNeighbours(found, limit: parameters.m)
            let own = links(node, layer)
            own[0] = Int32(chosen.count)
            for (j, c) in chosen.enumerated() { own[j + 1] = c }
            for c in chosen { connect(c, to: node, layer: layer, cap: cap) }
        }
        if level > maxLevel {
            maxLevel = level
            entryPoint = node
        }
    }

    private func connect(_ node: Int32, to newcomer: Int32, layer: Int, cap: Int) {
        let l = links(node, layer)
        let degree = Int(l[0])
        if degree < cap {
            l[degree + 1] = newcomer
            l[0] = Int32(degree + 1)
            return
        }
        let base = UnsafePointer(vector(node))
        var candidates: [(Float, Int32)] = [(distance(base, vector(newcomer)), newcomer)]
        for j in 1...degree { candidates.append((distance(base, vector(l[j])), l[j])) }
        candidates.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let kept = selectNeighbours(candidates, limit: cap)
        l[0] = Int32(kept.count)
        for (j, c) in kept.enumerated() { l[j + 1] = c }
    }

    /// The `k` nearest stored vectors to `query` (searching with `max(ef, k)` candidates),
    /// left in `scratch.ids` / `scratch.distances`, closest first.
    public func search(_ query: UnsafeBufferPointer<Float>, k: Int, ef: Int, scratch: inout HNSWScratch) {
        precondition(query.count == dimension, "query dimension \(query.count) ≠ index dimension \(dimension)")
        scratch.prepare(count: count, dimension: dimension, maxDegree: maxM0)
        guard entryPoint >= 0, k > 0 else { scratch.drainBest(k: 0); return }
        let epoch = scratch.epoch
        scratch.query.withUnsafeMutableBufferPointer { qb in
            let q = qb.baseAddress!
            q.update(from: query.baseAddress!, count: dimension)
            if metric == .cosine { VectorMath.normalize(q, dimension) }
            var cur = entryPoint
            var curDist = distance(q, vector(cur))
            var l = maxLevel
            while l > 0 {
                (cur, curDist) = greedy(q, from: cur, level: l, ids: &scratch.expandedIDs, distances: &scratch.expandedDistances)
                l -= 1
            }
            searchLayer(q, entry: cur, entryDistance: curDist, ef: max(ef, k), level: 0,
                        visited: &scratch.visited, epoch: epoch,
                        ids: &scratch.expandedIDs, distances: &scratch.expandedDistances,
                        frontier: &scratch.frontier, best: &scratch.best)
        }
        scratch.drainBest(k: k)
    }

    public func search(_ query: [Float], k: Int, ef: Int, scratch: inout HNSWScratch) {
        query.withUnsafeBufferPointer { search($0, k: k, ef: ef, scratch: &scratch) }
    }

    /// A stored vector (normalised when the metric is cosine).
    public func storedVector(_ id: Int32) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: vector(id), count: dimension)
    }
}
