import Core
import Foundation

/// Case- and accent-insensitive substring search over title, artist and album. All keys live in
/// one folded UTF-8 buffer, so a keystroke is a few `memmem` scans of ~1.5 MB on the shipped
/// catalog, far under a frame.
public final class SearchIndex: Sendable {
    private let buffer: [UInt8]
    /// `starts[i]` is where track i's key begins; keys are separated by a 0 byte.
    private let starts: [Int32]

    public init(catalog: Catalog) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(catalog.count * 64)
        var starts: [Int32] = []
        starts.reserveCapacity(catalog.count)
        for i in 0..<catalog.count {
            starts.append(Int32(buffer.count))
            SearchIndex.appendFolded(catalog.titles[i], to: &buffer)
            buffer.append(0x1F)
            SearchIndex.appendFolded(catalog.artistNames[Int(catalog.artistOfTrack[i])], to: &buffer)
            buffer.append(0x1F)
            SearchIndex.appendFolded(catalog.albums[i], to: &buffer)
            buffer.append(0)
        }
        self.buffer = buffer
        self.starts = starts
    }

    /// Lowercased, diacritics removed ("Beyoncé" → "beyonce"); ASCII takes the fast path.
    public static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendFolded(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendFolded(_ text: String, to out: inout [UInt8]) {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for b in text.utf8 { out.append(b >= 65 && b <= 90 ? b + 32 : b) }
        } else {
            out.append(contentsOf: text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).utf8)
        }
    }

    /// Tracks whose title, artist or album contains every word of `query`, restricted to `within`
    /// (in its order) — the caller's current sort and filter.
    public func matches(_ query: String, within: [TrackID]) -> [TrackID] {
        let words = SearchIndex.fold(query).split(separator: " ").map { Array($0.utf8) }
        guard !words.isEmpty else { return within }
        var hit = [Bool](repeating: true, count: starts.count)
        for word in words { mark(word, into: &hit) }
        return within.filter { hit[Int($0)] }
    }

    private func mark(_ word: [UInt8], into hit: inout [Bool]) {
        var found = [Bool](repeating: false, count: starts.count)
        buffer.withUnsafeBytes { hay in
            word.withUnsafeBytes { needle in
                var offset = 0
                while offset < hay.count,
                      let at = SearchIndex.find(needle, in: hay, from: offset) {
                    let track = trackContaining(at)
                    found[track] = true
                    // Continue after this track's key: one hit per track is enough.
                    offset = track + 1 < starts.count ? Int(starts[track + 1]) : hay.count
                }
            }
        }
        for i in 0..<hit.count where !found[i] { hit[i] = false }
    }

    /// First occurrence of `needle` at or after `from` (glibc's memmem needs _GNU_SOURCE, which
    /// Swift does not set): memchr finds candidates for the first byte, memcmp checks the rest.
    private static func find(_ needle: UnsafeRawBufferPointer, in hay: UnsafeRawBufferPointer, from: Int) -> Int? {
        let n = needle.count
        guard n > 0, hay.count - from >= n else { return nil }
        let first = Int32(needle[0])
        var at = from
        let last = hay.count - n
        while at <= last {
            guard let p = memchr(hay.baseAddress! + at, first, last - at + 1) else { return nil }
            let i = hay.baseAddress!.distance(to: UnsafeRawPointer(p))
            if memcmp(hay.baseAddress! + i, needle.baseAddress!, n) == 0 { return i }
            at = i + 1
        }
        return nil
    }

    private func trackContaining(_ offset: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
