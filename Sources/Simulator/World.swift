import Core

/// A catalog, its hidden taste space and the users who listen to it: everything a simulated
/// session needs. Immutable and shared by every worker thread.
public final class World: Sendable {
    public let catalog: Catalog
    public let config: WorldConfig
    public let space: TasteSpace
    public let users: UserPopulation
    /// The nearest tracks to every interest track of `users`, one list per distinct track: what
    /// `WorldCache` stores, since computing it is most of a world's cost.
    public let neighbours: InterestNeighbours
    /// For each interest slot (index into `users.interests`), its `candidateCount` nearest
    /// tracks by inner product, best first (-1 padding on tiny catalogs). The first
    /// `users.interestNeighbours[u]` are where user u's sessions start; `oracle` reuses the rest.
    let slotNearest: [TrackID]
    let candidateCount: Int

    /// Builds on precomputed parts (an imported world): the neighbour lists of `users`' interests
    /// are taken from `known` where it has them (same width) and computed for the rest, so pass
    /// only the users a run needs (`UserPopulation.prefix`).
    public convenience init(catalog: Catalog, config: WorldConfig, space: TasteSpace, users: UserPopulation,
                            reusing known: InterestNeighbours? = nil) {
        precondition(space.count == catalog.count, "one hidden vector per catalog track")
        let width = World.candidateCount(config: config, users: users, tracks: catalog.count)
        var table = known?.width == width ? known! : InterestNeighbours(tracks: [], lists: [], width: width)
        let missing = table.missing(users.interests)
        if !missing.isEmpty {
            table = table.merged(with: InterestNeighbours.compute(space: space, artists: catalog.artistOfTrack,
                                                                  queries: missing, width: width))
        }
        self.init(catalog: catalog, config: config, space: space, users: users, neighbours: table)
    }

    /// Every interest of `users` must have a list in `neighbours`, of `candidateCount` width
    /// (checked: a cached table that does not cover the population is refused before this).
    init(catalog: Catalog, config: WorldConfig, space: TasteSpace, users: UserPopulation, neighbours: InterestNeighbours) {
        precondition(neighbours.width == World.candidateCount(config: config, users: users, tracks: catalog.count),
                     "neighbour lists of the wrong width")
        self.catalog = catalog
        self.config = config
        self.space = space
        self.users = users
        self.neighbours = neighbours
        self.slotNearest = neighbours.slotTable(users.interests)
        self.candidateCount = neighbours.width
    }

    /// Width of the nearest lists: at least 64 (for `oracle`) and every user's start list; a
    /// start list longer than the catalog is the whole catalog, as in the course (faiss pads
    /// with -1, which the course drops).
    public static func candidateCount(config: WorldConfig, users: UserPopulation, tracks: Int) -> Int {
        let widest = Int(users.interestNeighbours.max() ?? 0)
        return max(64, config.interestNeighbours, min(widest, tracks))
    }

    /// The nearest tracks to interest slot `slot`, best first (entries may be -1 on tiny catalogs).
    public func nearest(toSlot slot: Int) -> ArraySlice<TrackID> {
        slotNearest[slot * candidateCount..<(slot + 1) * candidateCount]
    }
}

extension World {
    /// Generates the hidden space and `config.users` users from `config.seed` (docs/ARCHITECTURE.md §3).
    public static func generate(catalog: Catalog, config: WorldConfig) -> World {
        precondition(!catalog.isEmpty, "a world needs tracks")
        var config = config
        config.catalogFingerprint = catalog.fingerprint
        let space = TasteSpace.generate(catalog: catalog, config: config)
        let n = config.users
        let candidates = max(64, config.interestNeighbours)

        var cumulative = [Double](repeating: 0, count: catalog.count)
        var total = 0.0
        for t in 0..<catalog.count {
            total += Double(catalog.popularity[t]) + 1
            cumulative[t] = total
        }
        func popular(_ rng: inout SeededGenerator) -> TrackID {
            let x = rng.nextUnit() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
            }
            return TrackID(lo)
        }
        func uniform(_ rng: inout SeededGenerator, _ range: ClosedRange<Double>) -> Double {
            range.lowerBound + rng.nextUnit() * (range.upperBound - range.lowerBound)
        }

        // Every user draws from its own stream, so user u is the same whatever the population size.
        var rngs = (0..<n).map { SeededGenerator(seed: config.seed, stream: TasteSpace.Part.user.rawValue, UInt64($0)) }
        var wanted = [Int](repeating: 1, count: n)
        var openness = [Double](repeating: 0, count: n)
        var bias = [Double](repeating: 0, count: n), sharpness = [Double](repeating: 0, count: n)
        var interests = [[TrackID]](repeating: [], count: n)
        for u in 0..<n {
            for _ in 0..<config.interestTrials where rngs[u].nextUnit() < config.interestProbability { wanted[u] += 1 }
            openness[u] = uniform(&rngs[u], config.opennessRange)
            bias[u] = uniform(&rngs[u], config.consumeBiasRange)
            sharpness[u] = uniform(&rngs[u], config.consumeSharpnessRange)
            interests[u] = [popular(&rngs[u])]
        }

        // Next interests need the neighbours of previous ones: compute them in rounds, in bulk.
        var rows = [TrackID: Int]()
        var nearest: [TrackID] = [], others: [TrackID] = []
        func ensure(_ tracks: [TrackID]) {
            let missing = Array(Set(tracks.filter { rows[$0] == nil })).sorted()
            guard !missing.isEmpty else { return }
            let lists = NearestNeighbours.compute(space: space, artists: catalog.artistOfTrack, queries: missing,
                                                  nearestCount: candidates, otherArtistCount: config.interestPool)
            let base = rows.count
            for (i, t) in missing.enumerated() { rows[t] = base + i }
            nearest += lists.nearest
            others += lists.otherArtist
        }
        for round in 1..<(config.interestTrials + 1) {
            let active = (0..<n).filter { wanted[$0] > round }
            if active.isEmpty { break }
            ensure(active.map { interests[$0].last! })
            for u in active {
                let previous = interests[u].last!
                if rngs[u].nextUnit() < openness[u] {
                    interests[u].append(popular(&rngs[u]))
                    continue
                }
                let r = rows[previous]!
                let pool = others[r * config.interestPool..<(r + 1) * config.interestPool].filter { $0 >= 0 }
                interests[u].append(pool.isEmpty ? popular(&rngs[u]) : pool[pool.startIndex + rngs[u].nextIndex(pool.count)])
            }
        }
        let flat = interests.flatMap { $0 }
        ensure(flat)
        let computed = rows.sorted { $0.key < $1.key }
        let table = InterestNeighbours(tracks: computed.map(\.key),
                                       lists: computed.flatMap { nearest[$0.value * candidates..<($0.value + 1) * candidates] },
                                       width: candidates)

        var offsets = [Int32](repeating: 0, count: n + 1)
        for u in 0..<n { offsets[u + 1] = offsets[u] + Int32(interests[u].count) }
        let users = UserPopulation(ids: (0..<n).map(Int64.init), interestOffsets: offsets, interests: flat,
                                   consumeBias: bias, consumeSharpness: sharpness,
                                   sessionBudget: [Int32](repeating: Int32(config.sessionBudget), count: n),
                                   artistDiscountGamma: [Double](repeating: config.artistDiscountGamma, count: n),
                                   interestNeighbours: [Int32](repeating: Int32(config.interestNeighbours), count: n))
        return World(catalog: catalog, config: config, space: space, users: users, neighbours: table)
    }
}
