/// Accumulates tracks row by row (interning artists, genres and subgenres) and produces a
/// columnar `Catalog`. Every importer and the synthesizer build through it, so they agree on
/// what a catalog row is.
public struct CatalogBuilder {
    public private(set) var titles: [String] = []
    public private(set) var albums: [String] = []
    public private(set) var artistNames: [String] = []
    public private(set) var artistOfTrack: [Int32] = []
    public private(set) var years: [Int16] = []
    public private(set) var durations: [Float] = []
    public private(set) var popularity: [Float] = []
    public private(set) var genreNames: [String] = []
    public private(set) var genreOffsets: [Int32] = [0]
    public private(set) var genreIDs: [Int32] = []
    public private(set) var subgenreNames: [String] = []
    public private(set) var subgenreOffsets: [Int32] = [0]
    public private(set) var subgenreIDs: [Int32] = []
    public private(set) var features: [Float] = []
    /// Whether rows carry audio features; fixed at creation so the column is all or nothing.
    public let withFeatures: Bool

    private var artistIndex = ByteInterner()
    private var genreIndex = ByteInterner()
    private var subgenreIndex = ByteInterner()

    public init(withFeatures: Bool, capacity: Int = 0) {
        self.withFeatures = withFeatures
        titles.reserveCapacity(capacity)
        albums.reserveCapacity(capacity)
        artistOfTrack.reserveCapacity(capacity)
        years.reserveCapacity(capacity)
        durations.reserveCapacity(capacity)
        popularity.reserveCapacity(capacity)
        genreOffsets.reserveCapacity(capacity + 1)
        subgenreOffsets.reserveCapacity(capacity + 1)
        if withFeatures { features.reserveCapacity(capacity * Catalog.featureCount) }
    }

    public var count: Int { titles.count }

    @discardableResult
    public mutating func artistID(_ name: String) -> Int32 {
        let (id, inserted) = artistIndex.intern(name)
        if inserted { artistNames.append(name) }
        return id
    }

    /// As `artistID(_:)` keyed by the name's UTF-8 bytes; `name` builds the string only for a
    /// new artist, so a repeated name costs one hash and no allocation.
    mutating func artistID(bytes: UnsafeRawBufferPointer, name: () throws -> String) rethrows -> Int32 {
        let (id, inserted) = artistIndex.intern(bytes)
        if inserted { artistNames.append(try name()) }
        return id
    }

    @discardableResult
    public mutating func genreID(_ name: String) -> Int32 {
        let (id, inserted) = genreIndex.intern(name)
        if inserted { genreNames.append(name) }
        return id
    }

    @discardableResult
    public mutating func subgenreID(_ name: String) -> Int32 {
        let (id, inserted) = subgenreIndex.intern(name)
        if inserted { subgenreNames.append(name) }
        return id
    }

    /// Appends one track. `genres` and `subgenres` are ids from `genreID`/`subgenreID`, the
    /// main one first; `features` must hold `Catalog.featureCount` values when `withFeatures`.
    public mutating func append(title: String, artist: Int32, album: String, year: Int16, duration: Float,
                                popularity pop: Float, genres: some Sequence<Int32>, subgenres: some Sequence<Int32>,
                                features rowFeatures: some Collection<Float>) {
        precondition(!withFeatures || rowFeatures.count == Catalog.featureCount, "one value per audio feature")
        titles.append(title)
        albums.append(album)
        artistOfTrack.append(artist)
        years.append(year)
        durations.append(duration)
        popularity.append(pop)
        genreIDs.append(contentsOf: genres)
        genreOffsets.append(Int32(genreIDs.count))
        subgenreIDs.append(contentsOf: subgenres)
        subgenreOffsets.append(Int32(subgenreIDs.count))
        if withFeatures { features.append(contentsOf: rowFeatures) }
    }

    /// The catalog with rows in the order appended, or moved so that appended row `r` becomes
    /// track `order[r]` (a permutation of 0..<count).
    public func build(source: String, order: [Int32]? = nil) -> Catalog {
        guard let order else {
            return Catalog(source: source, titles: titles, albums: albums, artistNames: artistNames,
                           artistOfTrack: artistOfTrack, years: years, durations: durations, popularity: popularity,
                           genreNames: genreNames, genreOffsets: genreOffsets, genreIDs: genreIDs,
                           subgenreNames: subgenreNames, subgenreOffsets: subgenreOffsets, subgenreIDs: subgenreIDs,
                           features: features)
        }
        precondition(order.count == count)
        var rowOf = [Int](repeating: 0, count: count)
        for (row, track) in order.enumerated() { rowOf[Int(track)] = row }
        func permuted<T>(_ column: [T]) -> [T] { rowOf.map { column[$0] } }
        func permutedCSR(_ offsets: [Int32], _ ids: [Int32]) -> ([Int32], [Int32]) {
            var newOffsets: [Int32] = [0]
            newOffsets.reserveCapacity(offsets.count)
            var newIDs: [Int32] = []
            newIDs.reserveCapacity(ids.count)
            for row in rowOf {
                newIDs.append(contentsOf: ids[Int(offsets[row])..<Int(offsets[row + 1])])
                newOffsets.append(Int32(newIDs.count))
            }
            return (newOffsets, newIDs)
        }
        let (gOffsets, gIDs) = permutedCSR(genreOffsets, genreIDs)
        let (sOffsets, sIDs) = permutedCSR(subgenreOffsets, subgenreIDs)
        var newFeatures: [Float] = []
        if withFeatures {
            newFeatures.reserveCapacity(features.count)
            let k = Catalog.featureCount
            for row in rowOf { newFeatures.append(contentsOf: features[row * k..<(row + 1) * k]) }
        }
        return Catalog(source: source, titles: permuted(titles), albums: permuted(albums), artistNames: artistNames,
                       artistOfTrack: permuted(artistOfTrack), years: permuted(years), durations: permuted(durations),
                       popularity: permuted(popularity), genreNames: genreNames, genreOffsets: gOffsets, genreIDs: gIDs,
                       subgenreNames: subgenreNames, subgenreOffsets: sOffsets, subgenreIDs: sIDs, features: newFeatures)
    }
}
