import Core

/// A strategy served from an imported i2i file (`botify recs import --kind i2i`), with the
/// course's `I2IRecommender` rule exactly as `i2i` serves botify's own table: the anchor drawn
/// from the user's last 10 plays ∝ summed fraction heard, its first listed track not among those
/// 10, another anchor when it has none (or no list), the course's `random` when none is left
/// or only anchors heard for 0 remain (where the course's service answers HTTP 500).
public struct ListI2IRecommender: Recommender {
    public let name: String
    public let summary: String
    let table: NeighbourTable
    let fallbacks: Fallbacks

    public init(list: RecommendationList, index: CatalogIndex) throws {
        try ListStrategies.check(list, kind: .i2i, catalog: index.catalog)
        name = list.name
        summary = ListStrategies.summary(list)
        fallbacks = Fallbacks(index: index)
        // Dense per-track offsets: a track without a line has no list, as in the course's Redis.
        let n = index.catalog.count
        var rows = [Int](repeating: -1, count: n)
        for (i, key) in list.keys.enumerated() { rows[Int(key)] = i }
        var offsets: [Int32] = [0]
        var ids: [TrackID] = []
        ids.reserveCapacity(list.tracks.count)
        offsets.reserveCapacity(n + 1)
        for t in 0..<n {
            if rows[t] >= 0 { ids.append(contentsOf: list.tracks(at: rows[t])) }
            offsets.append(Int32(ids.count))
        }
        table = NeighbourTable(offsets: offsets, ids: ids, scores: [])
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        switch I2IRecommender.courseDraw(context, table: table, using: &rng) {
        case .pick(let anchor, let heard, let i):
            return Recommendation(track: table.ids[i], reason: reason(context.label(anchor), heard: heard, index: i, anchor: anchor))
        case .none(let why):
            return fallbacks.courseRandom(context, because: why, using: &rng)
        }
    }

    func reason(_ label: String, heard: Double, index i: Int, anchor: TrackID) -> String {
        "\(name) lists this #\(i - table.neighbours(of: anchor).lowerBound + 1) for \(label) (heard \(formatScore(Float(heard))))"
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        let ranked = I2IRecommender.rankedCandidates(context, table: table, k: k) { label, heard, i in
            "\(name) lists this for \(label) (heard \(formatScore(Float(heard))))"
        }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }
}

/// A strategy served from an imported per-user file (`botify recs import --kind per-user`), as
/// the course's `Indexed` serves `hstu_recommendations.json`: a uniform pick from the user's
/// list (its `random.shuffle` then the first), whatever was played before, repeats included;
/// the course's `random` for a user without a list.
public struct ListPerUserRecommender: Recommender {
    public let name: String
    public let summary: String
    let rows: [Int64: Int]
    let list: RecommendationList
    let fallbacks: Fallbacks
    public var readsFractions: Bool { false }

    public init(list: RecommendationList, index: CatalogIndex) throws {
        try ListStrategies.check(list, kind: .perUser, catalog: index.catalog)
        name = list.name
        summary = ListStrategies.summary(list)
        self.list = list
        var rows: [Int64: Int] = [:]
        rows.reserveCapacity(list.count)
        for (i, key) in list.keys.enumerated() { rows[key] = i }
        self.rows = rows
        fallbacks = Fallbacks(index: index)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let row = rows[context.user] else {
            return fallbacks.courseRandom(context, because: "\(name) has no list for user \(context.user)", using: &rng)
        }
        let tracks = list.tracks(at: row)
        let t = tracks[tracks.startIndex + rng.nextIndex(tracks.count)]
        let repeated = context.played(t) ? " (already played this session)" : ""
        return Recommendation(track: t, reason: "picked at random from \(name)'s \(tracks.count) for you\(repeated)")
    }

    /// The user's list in file order (best first), unplayed ones only, then random ones.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        var ranked: [Recommendation] = []
        if let row = rows[context.user] {
            for (rank, t) in list.tracks(at: row).enumerated() {
                ranked.append(Recommendation(track: t, reason: "#\(rank + 1) of \(name)'s list for you"))
            }
        }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }
}

/// Imported lists as strategies of a `StrategyRegistry`.
public enum ListStrategies {
    static func check(_ list: RecommendationList, kind: RecommendationListKind, catalog: Catalog) throws {
        guard list.kind == kind else {
            throw InputError(field: "kind", value: list.kind.rawValue, "list '\(list.name)' is not a \(kind.rawValue) list")
        }
        guard list.catalogFingerprint == catalog.fingerprint else {
            throw InputError(field: "--catalog", value: catalog.fingerprint,
                             "list '\(list.name)' was imported against another catalog (fingerprint \(list.catalogFingerprint)); use that catalog, or import the file again against this one")
        }
        guard list.isWellFormed(trackCount: catalog.count) else {
            throw InputError(field: "list", value: list.name, "stored list is corrupt (import the file again with --replace)")
        }
    }

    static func summary(_ list: RecommendationList) -> String {
        summary(kind: list.kind, source: list.source, keys: list.count)
    }

    static func summary(kind: RecommendationListKind, source: String, keys: Int) -> String {
        kind == .i2i ? "imported per-track lists served as the course's I2I (\(source), \(keys) tracks)"
            : "imported per-user lists served as the course's Indexed (\(source), \(keys) users)"
    }

    /// The strategy for a stored list; its recommender is built from the store when first made.
    public static func strategy(_ summary: RecommendationListSummary, store: any RecommendationListRepository) -> Strategy {
        let name = summary.name
        let text = Self.summary(kind: summary.kind, source: summary.source, keys: summary.keys)
        return Strategy(name: name, summary: text, mirrorsCourse: true) { inputs in
            guard let list = try store.recommendationList(named: name) else {
                throw InputError(file: store.location, field: "--strategy", value: name, "no such imported list")
            }
            switch list.kind {
            case .i2i: return try ListI2IRecommender(list: list, index: inputs.index)
            case .perUser: return try ListPerUserRecommender(list: list, index: inputs.index)
            }
        }
    }

    /// A list name: 1–64 of letters, digits, '.', '_', '-', not starting with '-', and not a
    /// URL (so it never shadows a remote strategy).
    public static func checkName(_ name: String, field: String = "--name") throws {
        let allowed = name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, !name.hasPrefix("-") else {
            throw InputError(field: field, value: name, "a list name is 1–64 letters, digits, '.', '_' or '-' (not starting with '-')")
        }
    }
}

extension StrategyRegistry {
    /// Adds every stored list imported against `catalog` as a strategy (after the built-in
    /// ones, which a list never replaces: `recs import` refuses their names).
    public mutating func registerLists(from store: any RecommendationListRepository, catalog: Catalog) throws {
        for summary in try store.recommendationLists()
        where summary.catalogFingerprint == catalog.fingerprint && !names.contains(summary.name) {
            register(ListStrategies.strategy(summary, store: store))
        }
    }
}
