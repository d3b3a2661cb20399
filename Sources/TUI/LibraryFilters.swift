import Core
import Foundation

/// What narrows the Library besides the search: at most one of each kind, all of them at once
/// (genre rock and the 1990s), and the search within what they leave.
public struct LibraryFilters: Equatable, Sendable {
    public var genre: Int32?
    public var subgenre: Int32?
    public var artist: Int32?
    /// Release years, both ends included; tracks of unknown year (0) never match.
    public var years: ClosedRange<Int16>?

    public init(genre: Int32? = nil, subgenre: Int32? = nil, artist: Int32? = nil, years: ClosedRange<Int16>? = nil) {
        self.genre = genre
        self.subgenre = subgenre
        self.artist = artist
        self.years = years
    }

    public var isEmpty: Bool { self == LibraryFilters() }

    /// What `filter clear KIND` names.
    static let kinds = ["genre", "subgenre", "artist", "year"]

    mutating func clear(_ kind: String) {
        switch kind {
        case "genre": genre = nil
        case "subgenre": subgenre = nil
        case "artist": artist = nil
        default: years = nil
        }
    }

    func matches(_ track: TrackID, in catalog: Catalog) -> Bool {
        if let artist, catalog.artist(track) != artist { return false }
        if let years, !years.contains(catalog.years[Int(track)]) { return false }
        if let genre, !catalog.genres(track).contains(genre) { return false }
        if let subgenre, !catalog.subgenres(track).contains(subgenre) { return false }
        return true
    }

    /// The header's words for each filter in force ("genre: rock", "years: 1990–1999").
    func descriptions(_ catalog: Catalog) -> [String] {
        var out: [String] = []
        if let genre { out.append("genre: \(catalog.genreNames[Int(genre)])") }
        if let subgenre { out.append("subgenre: \(catalog.subgenreNames[Int(subgenre)])") }
        if let artist { out.append("artist: \(catalog.artistNames[Int(artist)])") }
        if let years { out.append(years.lowerBound == years.upperBound ? "year: \(years.lowerBound)" : "years: \(years.lowerBound)–\(years.upperBound)") }
        return out
    }
}

/// `filter year`'s argument: one year ("1999") or a range ("1990-1999"; "1990–1999" and
/// "1990..1999" read the same), both ends included.
enum YearRange {
    static let allowed: ClosedRange<Int> = 1...9999

    static func parse(_ name: String, _ arg: String) throws(CommandError) -> ClosedRange<Int16> {
        let usage = "'\(name)' needs a year or a range like 1990-1999"
        guard !arg.isEmpty else { throw CommandError(usage) }
        var text = arg.replacingOccurrences(of: "..", with: "-").replacingOccurrences(of: "–", with: "-")
        text.removeAll { $0 == " " || $0 == "\t" }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw CommandError("\(usage), got '\(arg)'")
        }
        let years = try parts.map { part throws(CommandError) -> Int16 in
            guard let year = Int(part), allowed.contains(year) else {
                throw CommandError("year '\(part)' is out of range (\(allowed.lowerBound)-\(allowed.upperBound))")
            }
            return Int16(year)
        }
        let from = years[0], to = years.last!
        guard from <= to else { throw CommandError("year range '\(arg)' runs backwards: write \(to)-\(from)") }
        return from...to
    }

    /// The text `parse` reads back.
    static func text(_ range: ClosedRange<Int16>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }
}
