import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Case- and accent-insensitive substring search over title, artist and album, fast enough to
/// run on every keystroke. Each track's folded "title␁artist␁album" key is built once into one
/// contiguous buffer; a query word is then one `memchr`/`memcmp` sweep over that buffer, and a query of
/// several words keeps the tracks that contain all of them.
public final class CatalogSearch: Sendable {
    public let catalog: Catalog
    private let haystack: [UInt8]
    /// `offsets[t]..<offsets[t+1]` is track t's key (including its trailing separator).
    private let offsets: [Int32]
    /// Tracks by popularity (highest first, then id): the order results are returned in.
    private let ranking: [TrackID]

    private static let separator: UInt8 = 0x01

    public init(catalog: Catalog) {
        self.catalog = catalog
        var foldedArtists = catalog.artistNames.map(Self.fold)
        var haystack = [UInt8]()
        haystack.reserveCapacity(catalog.count * 64)
        var offsets = [Int32]()
        offsets.reserveCapacity(catalog.count + 1)
        offsets.append(0)
        for t in 0..<catalog.count {
            haystack.append(contentsOf: Self.fold(catalog.titles[t]))
            haystack.append(Self.separator)
            haystack.append(contentsOf: foldedArtists[Int(catalog.artistOfTrack[t])])
            haystack.append(Self.separator)
            haystack.append(contentsOf: Self.fold(catalog.albums[t]))
            haystack.append(Self.separator)
            offsets.append(Int32(haystack.count))
        }
        foldedArtists.removeAll()
        self.haystack = haystack
        self.offsets = offsets
        let pop = catalog.popularity
        self.ranking = catalog.trackIDs.sorted { a, b in
            pop[Int(a)] != pop[Int(b)] ? pop[Int(a)] > pop[Int(b)] : a < b
        }
    }

    /// Tracks whose title, artist or album contain every word of `query` (ignoring case and
    /// accents), most popular first. An empty query matches every track.
    public func search(_ query: String, limit: Int = .max) -> [TrackID] {
        let words = Self.fold(query).split(separator: 0x20).filter { !$0.isEmpty }
        guard limit > 0 else { return [] }
        guard !words.isEmpty else { return Array(ranking.prefix(limit)) }
        var matches = [Bool](repeating: true, count: catalog.count)
        var hits = [Bool](repeating: false, count: catalog.count)
        for word in words {
            for i in hits.indices { hits[i] = false }
            mark(Array(word), into: &hits)
            for i in matches.indices { matches[i] = matches[i] && hits[i] }
        }
        var result: [TrackID] = []
        for t in ranking where matches[Int(t)] {
            result.append(t)
            if result.count == limit { break }
        }
        return result
    }

    private func mark(_ word: [UInt8], into hits: inout [Bool]) {
        haystack.withUnsafeBytes { hay in
            word.withUnsafeBytes { needle in
                let base = hay.baseAddress!
                let first = Int32(needle[0])
                let rest = needle.count - 1
                let end = hay.count - rest
                var position = 0
                var track = 0
                // memchr for the first byte, memcmp for the rest (glibc's memmem is not exported to Swift).
                while position < end, let found = memchr(base + position, first, end - position) {
                    let at = base.distance(to: UnsafeRawPointer(found))
                    guard rest == 0 || memcmp(base + at + 1, needle.baseAddress! + 1, rest) == 0 else {
                        position = at + 1
                        continue
                    }
                    while Int(offsets[track + 1]) <= at { track += 1 }
                    hits[track] = true
                    position = Int(offsets[track + 1])
                }
            }
        }
    }

    /// Lower case without diacritics, as UTF-8; ASCII (most names) takes a byte-wise fast path.
    /// Separators and control characters become spaces so a query never spans two fields.
    public static func fold(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            for i in bytes.indices {
                let b = bytes[i]
                if b >= 0x41 && b <= 0x5A { bytes[i] = b + 0x20 } else if b < 0x20 { bytes[i] = 0x20 }
            }
            return bytes
        }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        return Array(folded.lowercased().utf8).map { $0 < 0x20 ? 0x20 : $0 }
    }
}
