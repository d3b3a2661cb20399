/// Dense index of a track inside one catalog: row i of every column.
public typealias TrackID = Int32

/// The public audio features every catalog row may carry (Spotify's, docs/ARCHITECTURE.md §1).
public enum AudioFeature: Int, CaseIterable, Sendable {
    case danceability, energy, valence, acousticness, instrumentalness, liveness, speechiness, loudness, tempo

    public var name: String { String(describing: self) }
}

/// A catalog stored column by column so that loading, scanning and scoring touch
/// contiguous memory. Multi-valued columns (genres, subgenres) use offsets into a flat array.
/// Immutable and a class, so handing it to every recommendation context costs one reference.
public final class Catalog: Sendable {
    public static let featureCount = AudioFeature.allCases.count

    /// Where the catalog came from (file path or a synthetic description), for messages.
    public let source: String
    public let titles: [String]
    public let albums: [String]
    /// Distinct artist names; `artistOfTrack[i]` indexes into it.
    public let artistNames: [String]
    public let artistOfTrack: [Int32]
    /// Release year, 0 when unknown.
    public let years: [Int16]
    /// Duration in seconds, 0 when unknown.
    public let durations: [Float]
    /// Popularity 0–100, 0 when unknown.
    public let popularity: [Float]
    public let genreNames: [String]
    public let genreOffsets: [Int32]
    public let genreIDs: [Int32]
    public let subgenreNames: [String]
    public let subgenreOffsets: [Int32]
    public let subgenreIDs: [Int32]
    /// Row-major `count × featureCount`; empty when the catalog has no audio features.
    public let features: [Float]

    public init(source: String, titles: [String], albums: [String], artistNames: [String], artistOfTrack: [Int32],
                years: [Int16], durations: [Float], popularity: [Float],
                genreNames: [String], genreOffsets: [Int32], genreIDs: [Int32],
                subgenreNames: [String], subgenreOffsets: [Int32], subgenreIDs: [Int32],
                features: [Float]) {
        precondition(albums.count == titles.count && artistOfTrack.count == titles.count
                     && years.count == titles.count && durations.count == titles.count
                     && popularity.count == titles.count
                     && genreOffsets.count == titles.count + 1 && subgenreOffsets.count == titles.count + 1,
                     "catalog columns must have one row per track")
        precondition(features.isEmpty || features.count == titles.count * Catalog.featureCount)
        self.source = source
        self.titles = titles
        self.albums = albums
        self.artistNames = artistNames
        self.artistOfTrack = artistOfTrack
        self.years = years
        self.durations = durations
        self.popularity = popularity
        self.genreNames = genreNames
        self.genreOffsets = genreOffsets
        self.genreIDs = genreIDs
        self.subgenreNames = subgenreNames
        self.subgenreOffsets = subgenreOffsets
        self.subgenreIDs = subgenreIDs
        self.features = features
    }

    public var count: Int { titles.count }
    public var isEmpty: Bool { titles.isEmpty }
    public var hasFeatures: Bool { !features.isEmpty }
    public var trackIDs: Range<TrackID> { 0..<TrackID(count) }

    public func title(_ t: TrackID) -> String { titles[Int(t)] }
    public func album(_ t: TrackID) -> String { albums[Int(t)] }
    public func artist(_ t: TrackID) -> Int32 { artistOfTrack[Int(t)] }
    public func artistName(_ t: TrackID) -> String { artistNames[Int(artistOfTrack[Int(t)])] }
    public func duration(_ t: TrackID) -> Float { durations[Int(t)] }

    public func genres(_ t: TrackID) -> ArraySlice<Int32> {
        genreIDs[Int(genreOffsets[Int(t)])..<Int(genreOffsets[Int(t) + 1])]
    }

    public func subgenres(_ t: TrackID) -> ArraySlice<Int32> {
        subgenreIDs[Int(subgenreOffsets[Int(t)])..<Int(subgenreOffsets[Int(t) + 1])]
    }

    /// The first (main) genre name, or "" when the track has none.
    public func mainGenreName(_ t: TrackID) -> String {
        genres(t).first.map { genreNames[Int($0)] } ?? ""
    }

    public func features(_ t: TrackID) -> ArraySlice<Float> {
        let start = Int(t) * Catalog.featureCount
        return features[start..<start + Catalog.featureCount]
    }
}
