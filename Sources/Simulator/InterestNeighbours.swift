import Core

/// The nearest tracks to each interest track of a population, one list per distinct track
/// (sorted by track id), `width` long, best first (-1 padding on tiny catalogs). This is the
/// costly part of a world (a full scan of the space per track), so it is what `WorldCache`
/// stores; `World` expands it into one list per interest slot.
public struct InterestNeighbours: Sendable, Equatable {
    /// Distinct query tracks, ascending.
    public let tracks: [TrackID]
    /// `tracks.count × width`: row i is the list of `tracks[i]`.
    public let lists: [TrackID]
    public let width: Int

    public init(tracks: [TrackID], lists: [TrackID], width: Int) {
        precondition(width > 0 && lists.count == tracks.count * width, "one list of `width` per track")
        precondition(zip(tracks, tracks.dropFirst()).allSatisfy { $0 < $1 }, "tracks ascending and distinct")
        self.tracks = tracks
        self.lists = lists
        self.width = width
    }

    /// Exact lists for `queries` (any order, repeats allowed).
    static func compute(space: TasteSpace, artists: [Int32], queries: [TrackID], width: Int) -> InterestNeighbours {
        let distinct = Array(Set(queries)).sorted()
        let computed = NearestNeighbours.compute(space: space, artists: artists, queries: distinct, nearestCount: width,
                                                 otherArtistCount: 0)
        return InterestNeighbours(tracks: distinct, lists: computed.nearest, width: width)
    }

    /// Tracks of `queries` that have no list here.
    public func missing(_ queries: [TrackID]) -> [TrackID] {
        let known = Set(tracks)
        return Array(Set(queries.filter { !known.contains($0) })).sorted()
    }

    /// This and `other` (same width, disjoint tracks) as one table.
    func merged(with other: InterestNeighbours) -> InterestNeighbours {
        precondition(other.width == width, "merging lists of different widths")
        guard !other.tracks.isEmpty else { return self }
        var rows = [(TrackID, ArraySlice<TrackID>)]()
        rows.reserveCapacity(tracks.count + other.tracks.count)
        for (i, t) in tracks.enumerated() { rows.append((t, lists[i * width..<(i + 1) * width])) }
        for (i, t) in other.tracks.enumerated() { rows.append((t, other.lists[i * width..<(i + 1) * width])) }
        rows.sort { $0.0 < $1.0 }
        return InterestNeighbours(tracks: rows.map(\.0), lists: rows.flatMap(\.1), width: width)
    }

    /// One list per entry of `interests` (the slot order of `UserPopulation.interests`);
    /// every interest must have a list here.
    func slotTable(_ interests: [TrackID]) -> [TrackID] {
        var row = [TrackID: Int](minimumCapacity: tracks.count)
        for (i, t) in tracks.enumerated() { row[t] = i }
        var table = [TrackID](repeating: -1, count: interests.count * width)
        for (slot, t) in interests.enumerated() {
            let r = row[t]!
            for j in 0..<width { table[slot * width + j] = lists[r * width + j] }
        }
        return table
    }
}
