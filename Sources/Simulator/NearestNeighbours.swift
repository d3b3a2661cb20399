import CVectorKernels
import Core

/// Exact nearest tracks by inner product in the hidden space, for many query tracks at once.
///
/// Every score is the sequential Float32 sum `s = 0; for k in 0..<d: s += v[k] * q[k]` with each
/// product and sum rounded (CVectorKernels' `bv_tile_scores`, SIMD across tracks and queries,
/// never across k); tracks are offered to each query in id order with strict improvement, so
/// ties go to the lower track id and results never depend on the thread count or the CPU.
/// Tracks are laid out in tiles of 8 (dimension-major inside a tile) for the kernel.
enum NearestNeighbours {
    static let tile = 8
    /// Queries and tiles per register block of the kernel (queries and tiles are padded to these).
    static let queryBlock = Int(BV_SCORE_QUERIES)
    static let tileBlock = Int(BV_SCORE_TILES)

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
        let (groupQueries, chunkTiles) = blocking(dimensions: d, queries: queries.count)
        // Zero tiles pad the matrix to whole chunks; their scores are never offered.
        let tiles = (n + tile - 1) / tile
        let paddedTiles = (tiles + chunkTiles - 1) / chunkTiles * chunkTiles
        var tiled = [Float](repeating: 0, count: paddedTiles * d * tile)
        space.vectors.withUnsafeBufferPointer { v in
            tiled.withUnsafeMutableBufferPointer { out in
                for t in 0..<n {
                    let (q, r) = t.quotientAndRemainder(dividingBy: tile)
                    let row = v.baseAddress! + t * d, base = out.baseAddress! + q * d * tile + r
                    for k in 0..<d { base[k * tile] = row[k] }
                }
            }
        }
        var lists = Lists(nearest: [TrackID](repeating: -1, count: queries.count * nearestCount), nearestCount: nearestCount,
                          otherArtist: [TrackID](repeating: -1, count: queries.count * otherArtistCount),
                          otherArtistCount: otherArtistCount)
        let groups = (queries.count + groupQueries - 1) / groupQueries
        let kernel = bv_tile_scores_best()!
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
                let first = group * groupQueries, count = min(groupQueries, queries.count - first)
                // Padded with the group's last query, whose repeated scores are dropped.
                let rows: [UnsafePointer<Float>?] = (0..<groupQueries).map {
                    vectors.base + Int(queries[first + min($0, count - 1)]) * d
                }
                let queryArtists = (0..<count).map { artistPtr.base[Int(queries[first + $0])] }
                var nearest = [TopK](repeating: TopK(capacity: nearestCount), count: count)
                var other = [TopK](repeating: TopK(capacity: otherArtistCount), count: count)
                let stride = chunkTiles * tile
                var scores = [Float](repeating: 0, count: groupQueries * stride)
                // Chunks in id order, so each query sees tracks in id order.
                for chunkStart in Swift.stride(from: 0, to: tiles, by: chunkTiles) {
                    scores.withUnsafeMutableBufferPointer { out in
                        rows.withUnsafeBufferPointer { r in
                            kernel(tiledPtr.base, d, chunkStart, chunkStart + chunkTiles, r.baseAddress!, groupQueries,
                                   out.baseAddress!, stride)
                        }
                    }
                    let firstTrack = chunkStart * tile, valid = min(stride, n - firstTrack)
                    scores.withUnsafeBufferPointer { s in
                        for i in 0..<count {
                            offer(s.baseAddress! + i * stride, first: firstTrack, valid: valid, queryArtist: queryArtists[i],
                                  artists: artistPtr.base, nearest: &nearest[i], other: &other[i])
                        }
                    }
                }
                for i in 0..<count {
                    nearest[i].write(to: nearestW, at: (first + i) * nearestCount)
                    other[i].write(to: otherW, at: (first + i) * otherArtistCount)
                }
            }
        }}}}}
        return lists
    }

    /// Queries per parallel group and tiles per track chunk. A group streams the whole matrix once
    /// (265 MB at 16k × 4096), so groups are as large as the kernel's working set allows (96
    /// queries: their 1 KB slices per kernel pass and a 96 KB score buffer stay in L2), but at least
    /// 8 groups when there are enough queries, so both cores stay busy. A chunk is 32 tiles (256
    /// tracks; an 8 KB slice each per pass). Only the order of work changes with these, never a
    /// score or a list.
    static func blocking(dimensions d: Int, queries: Int) -> (groupQueries: Int, chunkTiles: Int) {
        let perGroup = (queries + 7) / 8
        let groupQueries = max(queryBlock, min(96, (perGroup + queryBlock - 1) / queryBlock * queryBlock))
        return (groupQueries, 32)
    }

    /// Offers `valid` scores (tracks `first`, `first + 1`, … in order) to a query's two lists.
    @inline(__always)
    private static func offer(_ scores: UnsafePointer<Float>, first: Int, valid: Int, queryArtist: Int32,
                              artists: UnsafePointer<Int32>, nearest: inout TopK, other: inout TopK) {
        var lane = 0
        while lane < valid {
            let end = min(valid, lane + tile)
            // A scalar maximum over 8 scores first: most tiles hold nothing that enters a list.
            let floor = min(nearest.threshold, other.threshold)
            var best = scores[lane]
            for j in (lane + 1)..<end { best = Swift.max(best, scores[j]) }
            if best > floor {
                for j in lane..<end {
                    let s = scores[j]
                    let track = TrackID(first + j)
                    if s > nearest.threshold { nearest.insert(s, track) }
                    if s > other.threshold, artists[first + j] != queryArtist { other.insert(s, track) }
                }
            }
            lane = end
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
