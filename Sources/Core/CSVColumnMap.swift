/// A catalog field a CSV column can fill. The raw value is the name used in `--map` and the
/// column name of the shipped layout (`catalog/NOTICE.md`).
public enum CatalogField: String, CaseIterable, Sendable {
    case id, artist, title, album
    case releaseDate = "release_date", year = "release_year"
    case genre, subgenre, genres, subgenres, popularity
    case duration = "duration_s", durationMs = "duration_ms"
    case danceability, energy, valence, acousticness, instrumentalness, liveness, speechiness, loudness, tempo

    /// The audio feature this field holds, in `AudioFeature` order.
    var feature: AudioFeature? {
        switch self {
        case .danceability: .danceability
        case .energy: .energy
        case .valence: .valence
        case .acousticness: .acousticness
        case .instrumentalness: .instrumentalness
        case .liveness: .liveness
        case .speechiness: .speechiness
        case .loudness: .loudness
        case .tempo: .tempo
        default: nil
        }
    }

    static let featureFields: [CatalogField] = AudioFeature.allCases.map { f in allCases.first { $0.feature == f }! }

    /// Short names accepted in `--map` besides the raw values.
    private static let aliases: [String: CatalogField] = [
        "year": .year, "duration": .duration, "pop": .popularity, "date": .releaseDate,
    ]

    public init?(mapKey: String) {
        if let field = CatalogField(rawValue: mapKey) ?? Self.aliases[mapKey] { self = field } else { return nil }
    }
}

/// Which CSV column holds which catalog field. Fields left unmapped are looked for under their
/// shipped-layout name, so the shipped catalog needs no map and a map only lists differences.
public struct CSVColumnMap: Sendable, Equatable {
    public var columns: [CatalogField: String]

    public init(_ columns: [CatalogField: String] = [:]) { self.columns = columns }

    /// Parses `title=song_name,artist=artist_name,duration=length_s`.
    public init(parsing spec: String) throws {
        var columns: [CatalogField: String] = [:]
        for pair in spec.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw InputError(field: "--map", value: String(pair), "expected FIELD=COLUMN")
            }
            let key = parts[0].trimmingCharacters(in: " ")
            guard let field = CatalogField(mapKey: key) else {
                throw InputError(field: "--map", value: key,
                                 "unknown field; known: \(CatalogField.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            columns[field] = parts[1].trimmingCharacters(in: " ")
        }
        self.columns = columns
    }

    public func columnName(_ field: CatalogField) -> String { columns[field] ?? field.rawValue }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var start = startIndex, end = endIndex
        while start < end && self[start] == set { start = index(after: start) }
        while end > start && self[index(before: end)] == set { end = index(before: end) }
        return String(self[start..<end])
    }
}
