import Core
import Foundation
import Testing
@testable import Storage

/// Imported recommendation lists (schema v5): one row and one blob per list.
@Suite("Recommendation list store")
struct RecommendationListStoreTests {
    static let list = RecommendationList(name: "lightfm", kind: .i2i, catalogFingerprint: "abc", source: "lightfm_i2i.jsonl",
                                         importedAt: 1_700_000_000.5, lists: [(0, [7, 1, 9]), (1, [9]), (16_197, [0, 16_196])])

    @Test("saved and read back exactly; listed without its tracks; a second save of the name needs replacing")
    func roundTrip() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("b.sqlite"))
        try db.saveRecommendationList(Self.list, replacing: false)
        #expect(try db.recommendationList(named: "lightfm") == Self.list)
        #expect(try db.recommendationList(named: "sasrec") == nil)
        #expect(try db.recommendationLists() == [RecommendationListSummary(
            name: "lightfm", kind: .i2i, catalogFingerprint: "abc", source: "lightfm_i2i.jsonl",
            importedAt: 1_700_000_000.5, keys: 3, entries: 6)])
        var other = Self.list
        other.kind = .perUser
        other.keys = [5, 6, 7]
        #expect(throws: InputError.self) { try db.saveRecommendationList(other, replacing: false) }
        #expect(try db.recommendationList(named: "lightfm") == Self.list)
        try db.saveRecommendationList(other, replacing: true)
        #expect(try db.recommendationList(named: "lightfm") == other)
        // Compact: 3 keys and 6 tracks take 12 + 24 + 16 + 24 bytes.
        let raw = try RawDatabase(dir.file("b.sqlite"))
        #expect(try raw.int("SELECT length(blob) FROM recommendation_lists") == 76)
    }

    @Test("a damaged blob is an InputError naming the list, not a crash")
    func corruptBlob() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("b.sqlite"))
        try db.saveRecommendationList(Self.list, replacing: false)
        try RawDatabase(dir.file("b.sqlite")).execute("UPDATE recommendation_lists SET blob = substr(blob, 1, 20)")
        #expect(throws: InputError.self) { try db.recommendationList(named: "lightfm") }
    }
}
