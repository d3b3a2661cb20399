import Core

/// Exact nearest tracks by inner product in the hidden space, for many query tracks at once.
///
/// Tracks are laid out in tiles of 8 (dimension-major inside a tile) so that four queries
/// score eight tracks with `dimensions` SIMD8 multiply-adds each and no horizontal sums; four
/// SIMD8 accumulators, one tile row and four broadcasts fit the 16 SSE registers.
/// Queries are independent and scanned in track order with strict improvement, so ties go
/// to the lower track id and results never depend on the thread count.
enum NearestNeighbours {
    static let tile = 8
    static let queryBlock = 4

    struct Lists {
        /// `queries × nearestCount`, best first, -1 where the catalog is too small.
        var nearest: [TrackID]
        let nearestCount: Int
        /// `queries × otherArtistCount`: nearest tracks by an artist other than the query's.
        var otherArtist: [TrackID]
        let otherArtistCount: Int
    }

    static func compute(space: TasteSpace, artists: [Int32], queries: [TrackID],
                        nearestCount: Int, otherArtistCount: Int) -> Lists {
        let d = space.dimensions, n = space.count
        let tiles = (n + tile - 1) / tile
        var tiled = [Float](repeating: 0, count: tiles * d * tile)
        for t in 0..<n {
            let (q, r) = t.quotientAndRemainder(dividingBy: tile)
            for k in 0..<d { tiled[(q * d + k) * tile + r] = space.vectors[t * d + k] }
        }
        var lists = Lists(nearest: [TrackID](repeating: -1, count: queries.count * nearestCount), nearestCount: nearestCount,
                          otherArtist: [TrackID](repeating: -1, count: queries.count * otherArtistCount),
                          otherArtistCount: otherArtistCount)
        let blocks = (queries.count + queryBlock - 1) / queryBlock
        let (groupBlocks, chunkTiles) = blocking(dimensions: d, blocks: blocks)
        let groups = (blocks + groupBlocks - 1) / groupBlocks
        tiled.withUnsafeBufferPointer { tiledBuffer in
        space.vectors.withUnsafeBufferPointer { vectorBuffer in
        artists.withUnsafeBufferPointer { artistBuffer in
        lists.nearest.withUnsafeMutableBufferPointer { nearestOut in
        lists.otherArtist.withUnsafeMutableBufferPointer { otherOut in
            let tiledPtr = ReadOnly(tiledBuffer.baseAddress!), vectors = ReadOnly(vectorBuffer.baseAddress!)
            let artistPtr = ReadOnly(artistBuffer.baseAddress!)
            let nearestW = DisjointWrites(nearestOut.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
            let otherW = DisjointWrites(otherOut.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
            parallelChunks(groups) { group in
                let firstBlock = group * groupBlocks, lastBlock = min(blocks, firstBlock + groupBlocks)
                var nearestLists = [[TopK]](repeating: [TopK](repeating: TopK(capacity: nearestCount), count: queryBlock),
                                            count: lastBlock - firstBlock)
                var otherLists = [[TopK]](repeating: [TopK](repeating: TopK(capacity: otherArtistCount), count: queryBlock),
                                          count: lastBlock - firstBlock)
                let querySets = (firstBlock..<lastBlock).map { block -> [TrackID] in
                    let first = block * queryBlock
                    var qs = [TrackID](repeating: queries[first], count: queryBlock)
                    for i in 0..<min(queryBlock, queries.count - first) { qs[i] = queries[first + i] }
                    return qs
                }
                // Track chunks outside, query blocks inside: a chunk stays in cache while every
                // block of the group scans it, and each query still sees tracks in id order.
                var chunkStart = 0
                while chunkStart < tiles {
                    let chunk = chunkStart..<min(tiles, chunkStart + chunkTiles)
                    for b in 0..<querySets.count {
                        scan(tiled: tiledPtr.base, tiles: chunk, trackCount: n, d: d, vectors: vectors.base,
                             artists: artistPtr.base, queries: querySets[b], nearest: &nearestLists[b], other: &otherLists[b])
                    }
                    chunkStart = chunk.upperBound
                }
                for b in 0..<querySets.count {
                    let first = (firstBlock + b) * queryBlock
                    for i in 0..<min(queryBlock, queries.count - first) {
                        nearestLists[b][i].write(to: nearestW, at: (first + i) * nearestCount)
                        otherLists[b][i].write(to: otherW, at: (first + i) * otherArtistCount)
                    }
                }
            }
        }}}}}
        return lists
    }

    /// Query blocks per parallel group and tiles per track chunk. At D = 4096 a scan of 4 queries
    /// over the whole matrix (16k tracks: 265 MB) is memory-bound, so a group of blocks shares
    /// each chunk (about 512 KB, within L2) while the group's query rows (about 4 MB) stay in
    /// L3; at least 8 groups when there are enough blocks, so both cores stay busy. Only the
    /// order of work changes with these, never a score or a list.
    static func blocking(dimensions d: Int, blocks: Int) -> (groupBlocks: Int, chunkTiles: Int) {
        let rowBytes = d * MemoryLayout<Float>.size
        let groupBlocks = max(1, min((4 << 20) / (queryBlock * rowBytes), (blocks + 7) / 8))
        let chunkTiles = max(1, (512 << 10) / (tile * rowBytes))
        return (groupBlocks, chunkTiles)
    }

    private static func scan(tiled: UnsafePointer<Float>, tiles: Range<Int>, trackCount: Int, d: Int,
                             vectors: UnsafePointer<Float>, artists: UnsafePointer<Int32>, queries: [TrackID],
                             nearest: inout [TopK], other: inout [TopK]) {
        let q0 = vectors + Int(queries[0]) * d, q1 = vectors + Int(queries[1]) * d
        let q2 = vectors + Int(queries[2]) * d, q3 = vectors + Int(queries[3]) * d
        let queryArtists = queries.map { artists[Int($0)] }
        // Local copies: mutating array elements in place would re-check uniqueness on every insert.
        var n0 = nearest[0], n1 = nearest[1], n2 = nearest[2], n3 = nearest[3]
        var o0 = other[0], o1 = other[1], o2 = other[2], o3 = other[3]
        nearest = []
        other = []
        for t in tiles {
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            let base = UnsafeRawPointer(tiled + t * d * tile)
            for k in 0..<d {
                let v = base.loadUnaligned(fromByteOffset: k * tile * 4, as: SIMD8<Float>.self)
                a0 += v * q0[k]
                a1 += v * q1[k]
                a2 += v * q2[k]
                a3 += v * q3[k]
            }
            let first = t * tile
            let valid = min(tile, trackCount - first)
            offer(a0, first: first, valid: valid, queryArtist: queryArtists[0], artists: artists, nearest: &n0, other: &o0)
            offer(a1, first: first, valid: valid, queryArtist: queryArtists[1], artists: artists, nearest: &n1, other: &o1)
            offer(a2, first: first, valid: valid, queryArtist: queryArtists[2], artists: artists, nearest: &n2, other: &o2)
            offer(a3, first: first, valid: valid, queryArtist: queryArtists[3], artists: artists, nearest: &n3, other: &o3)
        }
        nearest = [n0, n1, n2, n3]
        other = [o0, o1, o2, o3]
    }

    @inline(__always)
    private static func offer(_ scores: SIMD8<Float>, first: Int, valid: Int, queryArtist: Int32, artists: UnsafePointer<Int32>,
                              nearest: inout TopK, other: inout TopK) {
        let floor = min(nearest.threshold, other.threshold)
        // A scalar reduction: `any(scores .> floor)`, `scores.max()` and `pointwiseMax` are not
        // inlined in this toolchain and cost more than the dot products.
        var best = scores[0]
        for lane in 1..<tile { best = Swift.max(best, scores[lane]) }
        guard best > floor else { return }
        for lane in 0..<valid {
            let s = scores[lane]
            let track = TrackID(first + lane)
            if s > nearest.threshold { nearest.insert(s, track) }
            if s > other.threshold, artists[first + lane] != queryArtist { other.insert(s, track) }
        }
    }
}

/// Read-only pointer shared with parallel workers (the memory outlives them and is not written).
struct ReadOnly<Element>: @unchecked Sendable {
    let base: UnsafePointer<Element>
    init(_ base: UnsafePointer<Element>) { self.base = base }
}

/// The best `capacity` (score, track) pairs seen so far, best first.
struct TopK {
    private(set) var scores: [Float]
    private(set) var tracks: [TrackID]
    let capacity: Int
    private(set) var size = 0

    init(capacity: Int) {
        self.capacity = capacity
        scores = [Float](repeating: -.infinity, count: capacity)
        tracks = [TrackID](repeating: -1, count: capacity)
    }

    /// Scores must beat this to enter; +inf when the list holds nothing (capacity 0).
    var threshold: Float { capacity == 0 ? .infinity : (size < capacity ? -.infinity : scores[capacity - 1]) }

    mutating func insert(_ score: Float, _ track: TrackID) {
        var i = min(size, capacity - 1)
        scores.withUnsafeMutableBufferPointer { s in
            tracks.withUnsafeMutableBufferPointer { t in
                while i > 0 && s[i - 1] < score {
                    s[i] = s[i - 1]
                    t[i] = t[i - 1]
                    i -= 1
                }
                s[i] = score
                t[i] = track
            }
        }
        size = min(size + 1, capacity)
    }

    func write(to out: DisjointWrites<TrackID>, at offset: Int) {
        for i in 0..<capacity { out[offset + i] = tracks[i] }
    }
}
