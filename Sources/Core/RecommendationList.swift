import Foundation

/// The two kinds of recommendation file the course's service loads (`botify/botify/server.py`):
/// per-track lists served by its `I2IRecommender` (`lightfm_i2i.jsonl`, `sasrec_i2i.jsonl`) and
/// per-user lists served by its `Indexed` recommender (`hstu_recommendations.json`).
public enum RecommendationListKind: String, Sendable, CaseIterable {
    case i2i
    case perUser = "per-user"

    /// The JSON field holding the key and the one holding the list, as the course writes them.
    public var keyField: String { self == .i2i ? "item_id" : "user" }
    public var listField: String { self == .i2i ? "recommendations" : "tracks" }
}

/// Recommendation lists as imported: for each key (a track for `i2i`, a user for `per-user`,
/// in file order) its tracks, best first, stored as CSR. Tracks are catalog rows, which are the
/// course's track ids (its catalogs number tracks 0…n−1).
public struct RecommendationList: Sendable, Equatable {
    public var name: String
    public var kind: RecommendationListKind
    public var catalogFingerprint: String
    /// Where it came from, for `recs list` (the imported file's name, or the exporting strategy).
    public var source: String
    /// Seconds since 1970.
    public var importedAt: Double
    public var keys: [Int64]
    /// The tracks of `keys[i]` are `tracks[offsets[i]..<offsets[i + 1]]`.
    public var offsets: [Int32]
    public var tracks: [TrackID]

    public init(name: String, kind: RecommendationListKind, catalogFingerprint: String, source: String,
                importedAt: Double, keys: [Int64], offsets: [Int32], tracks: [TrackID]) {
        self.name = name
        self.kind = kind
        self.catalogFingerprint = catalogFingerprint
        self.source = source
        self.importedAt = importedAt
        self.keys = keys
        self.offsets = offsets
        self.tracks = tracks
    }

    /// Builds the CSR from (key, tracks) pairs in order.
    public init(name: String, kind: RecommendationListKind, catalogFingerprint: String, source: String,
                importedAt: Double, lists: [(key: Int64, tracks: [TrackID])]) {
        var offsets: [Int32] = [0]
        var tracks: [TrackID] = []
        for l in lists {
            tracks.append(contentsOf: l.tracks)
            offsets.append(Int32(tracks.count))
        }
        self.init(name: name, kind: kind, catalogFingerprint: catalogFingerprint, source: source,
                  importedAt: importedAt, keys: lists.map(\.key), offsets: offsets, tracks: tracks)
    }

    public var count: Int { keys.count }

    public func tracks(at i: Int) -> ArraySlice<TrackID> {
        tracks[Int(offsets[i])..<Int(offsets[i + 1])]
    }

    /// Whether the CSR is well formed for a catalog of `trackCount` tracks (a stored blob is
    /// checked with this before anything serves from it).
    public func isWellFormed(trackCount: Int) -> Bool {
        offsets.count == keys.count + 1 && offsets.first == 0 && Int(offsets.last ?? -1) == tracks.count
            && zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 }
            && tracks.allSatisfy { $0 >= 0 && Int($0) < trackCount }
            && (kind == .perUser || keys.allSatisfy { $0 >= 0 && $0 < Int64(trackCount) })
    }
}

/// One stored list as `recs list` shows it, without its tracks.
public struct RecommendationListSummary: Sendable, Equatable {
    public var name: String
    public var kind: RecommendationListKind
    public var catalogFingerprint: String
    public var source: String
    public var importedAt: Double
    public var keys: Int
    public var entries: Int

    public init(name: String, kind: RecommendationListKind, catalogFingerprint: String, source: String,
                importedAt: Double, keys: Int, entries: Int) {
        self.name = name
        self.kind = kind
        self.catalogFingerprint = catalogFingerprint
        self.source = source
        self.importedAt = importedAt
        self.keys = keys
        self.entries = entries
    }
}

/// Where imported lists are kept, without knowing about SQLite (as `ModelRepository` is for
/// models): Storage's `BotifyDatabase` implements it; Recommenders serves from it.
public protocol RecommendationListRepository: Sendable {
    var location: String { get }
    /// Stores `list` under its name; an existing list of that name is replaced only if `replacing`.
    func saveRecommendationList(_ list: RecommendationList, replacing: Bool) throws
    /// Every stored list, by name.
    func recommendationLists() throws -> [RecommendationListSummary]
    /// The list called `name`, or nil.
    func recommendationList(named name: String) throws -> RecommendationList?
}
