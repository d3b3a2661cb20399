import Core

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Interest drift: botify's own opt-in model of tastes that follow what a listener hears (the
/// course's users never change; docs/LONG-TERM.md has the formula). Each interest of a user has
/// a session embedding, at first its track's hidden vector. After each day, for every session
/// of that day in (user, session) order, with F the tracks of the session heard fully
/// (fraction 1, the first track included) and m the mean of their vectors:
///
///     v ← v + rate · (m − v),   then v ← v · ‖x_i‖ / ‖v‖
///
/// where x_i is the interest track's own vector, so a drifted embedding keeps the length the
/// listener's bias and sharpness were calibrated on. In float16 worlds v is then rounded to
/// Float16 values, as the listener's arithmetic expects. The next day the listener scores tracks
/// against v and starts sessions among the exact nearest tracks to v. `rate` 0 moves nothing:
/// every session is exactly the undrifted model's.
public struct InterestDrift: Codable, Sendable, Equatable {
    /// The share of the way to the mean of a session's fully heard tracks an embedding moves, 0…1.
    public var rate: Double

    public init(rate: Double) {
        precondition(rate >= 0 && rate <= 1, "drift rate must be 0…1")
        self.rate = rate
    }
}

/// The tracks one session heard fully, for the night's drift.
public struct DriftPull: Sendable, Equatable {
    /// Index into `UserPopulation.interests` of the session's interest.
    public var slot: Int32
    public var tracks: [TrackID]
}

/// One day's session embeddings and start lists, read by every listener of that day (immutable
/// while the day runs, so threads share it).
public final class DriftedInterests: Sendable {
    /// `slots × dimensions`: the embedding of each interest slot of the run's users.
    let vectors: [Float]
    /// `slots × startWidth`: the nearest tracks to each embedding, best first (-1 padding).
    let starts: [TrackID]
    let startWidth: Int
    let dimensions: Int

    init(vectors: [Float], starts: [TrackID], startWidth: Int, dimensions: Int) {
        self.vectors = vectors
        self.starts = starts
        self.startWidth = startWidth
        self.dimensions = dimensions
    }

    /// Where slot `slot`'s session starts: the first `count` of its nearest tracks.
    func start(slot: Int, count: Int) -> ArraySlice<TrackID> {
        starts[slot * startWidth..<(slot * startWidth + min(count, startWidth))]
    }

    public func vector(slot: Int) -> ArraySlice<Float> {
        vectors[slot * dimensions..<(slot + 1) * dimensions]
    }
}

/// The embeddings of a run's users across days: starts at the world's interest vectors and
/// start lists, and moves each night by `InterestDrift`.
public struct DriftState: Sendable {
    public let drift: InterestDrift
    public let world: World
    /// Slots of the run's users: `0..<slots`.
    public let slots: Int
    private var vectors: [Float]
    private var starts: [TrackID]
    private let startWidth: Int
    /// ‖x_i‖ of each slot's interest track.
    private let norms: [Double]
    /// The space in `NearestNeighbours`' tile layout, so a recomputed list scores each track
    /// with the same arithmetic, in the same order, as the world's own lists.
    private let tiled: [Float]
    /// Day snapshots are copied out only when something moved since the last one.
    private var current: DriftedInterests

    /// For the world's first `users` rows.
    public init(world: World, users: Int, drift: InterestDrift) {
        self.drift = drift
        self.world = world
        slots = Int(world.users.interestOffsets[users])
        let d = world.space.dimensions
        startWidth = min(world.candidateCount, Int(world.users.interestNeighbours.prefix(users).max() ?? 1))
        var vectors = [Float](repeating: 0, count: slots * d)
        var starts = [TrackID](repeating: -1, count: slots * startWidth)
        var norms = [Double](repeating: 0, count: slots)
        for slot in 0..<slots {
            let track = Int(world.users.interests[slot])
            var squares = 0.0
            for k in 0..<d {
                let x = world.space.vectors[track * d + k]
                vectors[slot * d + k] = x
                squares += Double(x) * Double(x)
            }
            norms[slot] = squares.squareRoot()
            for j in 0..<startWidth { starts[slot * startWidth + j] = world.slotNearest[slot * world.candidateCount + j] }
        }
        self.vectors = vectors
        self.starts = starts
        self.norms = norms
        tiled = Self.tile(world.space)
        current = DriftedInterests(vectors: vectors, starts: starts, startWidth: startWidth, dimensions: d)
    }

    /// What the listeners of the next day read.
    public var snapshot: DriftedInterests { current }

    /// Moves the embeddings by the day's sessions (`pulls` in (user, session) order) and
    /// recomputes the start lists of those that moved, on up to `threads` threads (the lists do
    /// not depend on it). Returns how many embeddings moved.
    @discardableResult
    public mutating func apply(_ pulls: [DriftPull], threads: Int) -> Int {
        guard drift.rate > 0 else { return 0 }
        let d = world.space.dimensions
        let rate = drift.rate
        var moved = Set<Int>()
        var mean = [Double](repeating: 0, count: d)
        for pull in pulls where !pull.tracks.isEmpty {
            let slot = Int(pull.slot)
            precondition(slot >= 0 && slot < slots, "drift pull for a slot outside the run")
            for k in 0..<d { mean[k] = 0 }
            for t in pull.tracks {
                let base = Int(t) * d
                for k in 0..<d { mean[k] += Double(world.space.vectors[base + k]) }
            }
            let share = 1 / Double(pull.tracks.count)
            var squares = 0.0
            var next = mean
            for k in 0..<d {
                let v = Double(vectors[slot * d + k])
                next[k] = v + rate * (mean[k] * share - v)
                squares += next[k] * next[k]
            }
            let scale = squares > 0 ? norms[slot] / squares.squareRoot() : 1
            for k in 0..<d {
                let x = Float(next[k] * scale)
                vectors[slot * d + k] = world.space.precision == .float16 ? Half.round(x) : x
            }
            moved.insert(slot)
        }
        guard !moved.isEmpty else { return 0 }
        let order = moved.sorted()
        let lists = nearest(to: order, threads: threads)
        for (i, slot) in order.enumerated() {
            for j in 0..<startWidth { starts[slot * startWidth + j] = lists[i * startWidth + j] }
        }
        current = DriftedInterests(vectors: vectors, starts: starts, startWidth: startWidth, dimensions: d)
        return order.count
    }

    /// The exact `startWidth` nearest tracks by inner product to each of `slots`' embeddings,
    /// ties to the lower track id (as `NearestNeighbours`).
    func nearest(to slots: [Int], threads: Int) -> [TrackID] {
        let d = world.space.dimensions, n = world.space.count, width = startWidth
        let tile = NearestNeighbours.tile
        var out = [TrackID](repeating: -1, count: slots.count * width)
        let chunks = max(1, min(threads, slots.count))
        tiled.withUnsafeBufferPointer { tiledBuffer in
        vectors.withUnsafeBufferPointer { vectorBuffer in
        out.withUnsafeMutableBufferPointer { outBuffer in
            let tiles = ReadOnly(tiledBuffer.baseAddress!), queries = ReadOnly(vectorBuffer.baseAddress!)
            let write = DisjointWrites(outBuffer.baseAddress!)
            parallelChunks(chunks) { c in
                for i in (slots.count * c / chunks)..<(slots.count * (c + 1) / chunks) {
                    let q = queries.base + slots[i] * d
                    var top = TopK(capacity: width)
                    for t in 0..<(n + tile - 1) / tile {
                        var acc = SIMD8<Float>()
                        let base = UnsafeRawPointer(tiles.base + t * d * tile)
                        for k in 0..<d { acc += base.loadUnaligned(fromByteOffset: k * tile * 4, as: SIMD8<Float>.self) * q[k] }
                        for lane in 0..<min(tile, n - t * tile) where acc[lane] > top.threshold {
                            top.insert(acc[lane], TrackID(t * tile + lane))
                        }
                    }
                    top.write(to: write, at: i * width)
                }
            }
        }}}
        return out
    }

    private static func tile(_ space: TasteSpace) -> [Float] {
        let d = space.dimensions, n = space.count, tile = NearestNeighbours.tile
        var tiled = [Float](repeating: 0, count: (n + tile - 1) / tile * d * tile)
        for t in 0..<n {
            let (q, r) = t.quotientAndRemainder(dividingBy: tile)
            for k in 0..<d { tiled[(q * d + k) * tile + r] = space.vectors[t * d + k] }
        }
        return tiled
    }
}
