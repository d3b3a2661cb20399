import Core

/// Orders and groupings of one catalog computed once, so that no `next()` call scans the
/// catalog: tracks by popularity, and each artist's tracks as one contiguous range (CSR).
public final class CatalogIndex: Sendable {
    public let catalog: Catalog
    /// Every track, most popular first (ties by id, so the order is stable).
    public let popularityOrder: [TrackID]
    /// Tracks of artist a are `artistTracks[artistOffsets[a]..<artistOffsets[a + 1]]`.
    public let artistOffsets: [Int32]
    public let artistTracks: [TrackID]

    public init(_ catalog: Catalog) {
        self.catalog = catalog
        let pop = catalog.popularity
        popularityOrder = catalog.trackIDs.sorted { pop[Int($0)] > pop[Int($1)] || (pop[Int($0)] == pop[Int($1)] && $0 < $1) }
        var offsets = Array(repeating: Int32(0), count: catalog.artistNames.count + 1)
        for a in catalog.artistOfTrack { offsets[Int(a) + 1] += 1 }
        for i in 1..<offsets.count { offsets[i] += offsets[i - 1] }
        var fill = offsets
        var tracks = Array(repeating: TrackID(0), count: catalog.count)
        for t in catalog.trackIDs {
            let a = Int(catalog.artistOfTrack[Int(t)])
            tracks[Int(fill[a])] = t
            fill[a] += 1
        }
        artistOffsets = offsets
        artistTracks = tracks
    }

    public func tracks(byArtist artist: Int32) -> ArraySlice<TrackID> {
        artistTracks[Int(artistOffsets[Int(artist)])..<Int(artistOffsets[Int(artist) + 1])]
    }
}

extension RecommendationContext {
    /// A short, quoted track label for reasons: 'Title' by Artist.
    func label(_ t: TrackID) -> String { "'\(catalog.title(t))' by \(catalog.artistName(t))" }
}
