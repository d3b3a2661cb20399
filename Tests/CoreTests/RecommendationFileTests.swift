import Core
import Foundation
import Testing

/// The course's recommendation files (`lightfm_i2i.jsonl`, `hstu_recommendations.json`):
/// written as the course writes them, read back exactly, and every malformed line refused with
/// its line number.
@Suite("Course recommendation files")
struct RecommendationFileTests {
    static let tracks = 500

    static func randomLists(_ kind: RecommendationListKind, using rng: inout SeededGenerator) -> [(key: Int64, tracks: [TrackID])] {
        var keys = Set<Int64>()
        return (0..<(1 + rng.nextIndex(30))).compactMap { _ in
            let key = Int64(rng.nextIndex(kind == .i2i ? tracks : 100_000))
            guard keys.insert(key).inserted else { return nil }
            var ids = Set<TrackID>()
            while ids.count < 1 + rng.nextIndex(12) { ids.insert(TrackID(rng.nextIndex(tracks))) }
            return (key, Array(ids).sorted { _, _ in rng.nextIndex(2) == 0 })
        }
    }

    static func file(_ kind: RecommendationListKind, _ lists: [(key: Int64, tracks: [TrackID])]) -> [UInt8] {
        CourseRecommendationFile.write(RecommendationList(name: "x", kind: kind, catalogFingerprint: "f", source: "s",
                                                          importedAt: 0, lists: lists))
    }

    @Test("written in the course's layout and read back identically (300 random files of each kind)")
    func roundTrip() throws {
        let line = String(decoding: Self.file(.i2i, [(0, [7, 1, 9])]), as: UTF8.self)
        #expect(line == "{\"item_id\": 0, \"recommendations\": [7, 1, 9]}\n")
        #expect(String(decoding: Self.file(.perUser, [(1, [5444, 3])]), as: UTF8.self) == "{\"user\": 1, \"tracks\": [5444, 3]}\n")
        var rng = SeededGenerator(seed: 9)
        for kind in RecommendationListKind.allCases {
            for _ in 0..<300 {
                let lists = Self.randomLists(kind, using: &rng)
                let read = try CourseRecommendationFile.read(Self.file(kind, lists), file: "f", kind: nil, trackCount: Self.tracks)
                #expect(read.kind == kind)
                #expect(read.lists.map(\.key) == lists.map(\.key) && read.lists.map(\.tracks) == lists.map(\.tracks))
            }
        }
    }

    /// One way to break a line, and the words the error must contain.
    static let breakages: [(line: @Sendable (RecommendationListKind, Int64) -> String, says: String)] = [
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [1, 2" }, "not valid JSON"),
        ({ k, key in "[\(key), [1, 2]]" }, "expected a JSON object per line"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": []}" }, "empty list"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [3, 4, 3]}" }, "duplicate track"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [1, \(tracks)]}" }, "no such track"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [1, -4]}" }, "no such track"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [1, 2.5]}" }, "whole-number track id"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [true]}" }, "whole-number track id"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [\"7\"]}" }, "whole-number track id"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": 7}" }, "expected a list"),
        ({ k, key in "{\"\(k.keyField)\": \"\(key)\", \"\(k.listField)\": [1]}" }, "whole number"),
        ({ k, key in "{\"\(k.listField)\": [1]}" }, "missing item_id|missing user"),
        ({ k, key in "{\"\(k.keyField)\": \(key)}" }, "missing recommendations|missing tracks"),
        ({ k, key in "{\"\(k.keyField)\": \(key), \"\(k.listField)\": [1]}\u{FF}" }, "invalid UTF-8"),
    ]

    @Test("a malformed line anywhere is reported with its line number (property test, 600 files)")
    func malformedLines() throws {
        var rng = SeededGenerator(seed: 4)
        for round in 0..<600 {
            let kind = RecommendationListKind.allCases[round % 2]
            let lists = Self.randomLists(kind, using: &rng)
            var lines = String(decoding: Self.file(kind, lists), as: UTF8.self).split(separator: "\n").map(String.init)
            let at = rng.nextIndex(lines.count + 1)
            let breakage = Self.breakages[rng.nextIndex(Self.breakages.count)]
            // A key no other line has, so the breakage itself is the first problem on that line.
            let used = Set(lists.map(\.key))
            let fresh = (0...).lazy.map(Int64.init).first { !used.contains($0) }!
            var bad = breakage.line(kind, fresh)
            if rng.nextIndex(4) == 0 { bad = "  " + bad + "\r" }
            lines.insert(bad, at: at)
            var bytes = [UInt8](lines.joined(separator: "\n").utf8)
            if breakage.says == "invalid UTF-8", let i = bytes.firstIndex(of: 0xC3) {
                bytes.remove(at: i)  // "\u{FF}" is C3 BF; a lone BF is not UTF-8 (every other line is ASCII)
            }
            let says = breakage.says
            do {
                _ = try CourseRecommendationFile.read(bytes, file: "recs.jsonl", kind: kind, trackCount: Self.tracks)
                Issue.record("round \(round): accepted a file with a bad line \(at + 1): \(bad)")
            } catch let error as InputError {
                #expect(error.file == "recs.jsonl" && error.line == at + 1, "round \(round): \(error) (bad line \(at + 1))")
                #expect(says.split(separator: "|").contains { error.description.contains($0) }, "round \(round): \(error), expected '\(says)'")
            }
        }
    }

    @Test("an i2i key outside the catalog, a repeated key, a file with no lines")
    func keys() {
        #expect(throws: InputError(file: "f", line: 1, field: "item_id", value: "500", "no such track: the catalog has ids 0…499")) {
            try CourseRecommendationFile.read(Array("{\"item_id\": 500, \"recommendations\": [1]}".utf8), file: "f", kind: nil, trackCount: 500)
        }
        #expect(throws: InputError(file: "f", line: 3, field: "user", value: "7", "listed twice (first on line 1)")) {
            try CourseRecommendationFile.read(Array("{\"user\": 7, \"tracks\": [1]}\n\n{\"user\": 7, \"tracks\": [2]}\n".utf8),
                                              file: "f", kind: nil, trackCount: 500)
        }
        #expect(throws: InputError.self) { try CourseRecommendationFile.read(Array("\n  \n".utf8), file: "f", kind: nil, trackCount: 5) }
    }
}
