/// The figures `botify catalog info` reports. Unknown values (year 0, duration 0) are left
/// out of ranges and quantiles, and counted instead.
public struct CatalogSummary: Codable, Sendable, Equatable {
    public struct Quantiles: Codable, Sendable, Equatable {
        public var p10: Float
        public var p50: Float
        public var p90: Float
    }

    public var source: String
    public var fingerprint: String
    public var tracks: Int
    public var artists: Int
    public var albums: Int
    public var genres: Int
    public var subgenres: Int
    public var yearMin: Int?
    public var yearMax: Int?
    public var tracksWithoutYear: Int
    public var durationSeconds: Quantiles?
    public var tracksWithoutDuration: Int
    public var popularity: Quantiles
    public var popularityMean: Float
    public var hasAudioFeatures: Bool
    public var genreNames: [String]

    public init(_ catalog: Catalog) {
        source = catalog.source
        fingerprint = catalog.fingerprint
        tracks = catalog.count
        artists = catalog.artistNames.count
        var albumSet = Set<String>()
        for album in catalog.albums where !album.isEmpty { albumSet.insert(album) }
        albums = albumSet.count
        genres = catalog.genreNames.count
        subgenres = catalog.subgenreNames.count
        let years = catalog.years.filter { $0 > 0 }
        yearMin = years.min().map(Int.init)
        yearMax = years.max().map(Int.init)
        tracksWithoutYear = catalog.count - years.count
        let durations = catalog.durations.filter { $0 > 0 }
        durationSeconds = Self.quantiles(durations)
        tracksWithoutDuration = catalog.count - durations.count
        popularity = Self.quantiles(catalog.popularity) ?? Quantiles(p10: 0, p50: 0, p90: 0)
        popularityMean = catalog.isEmpty ? 0 : Float(catalog.popularity.reduce(0.0) { $0 + Double($1) } / Double(catalog.count))
        hasAudioFeatures = catalog.hasFeatures
        genreNames = catalog.genreNames
    }

    /// Nearest-rank quantiles.
    static func quantiles(_ values: [Float]) -> Quantiles? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func q(_ p: Double) -> Float { sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))] }
        return Quantiles(p10: q(0.1), p50: q(0.5), p90: q(0.9))
    }
}
