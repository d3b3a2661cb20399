import Core
import Foundation
import Recommenders

/// The ranker's features for (listener context, candidate), docs/RANKER.md's table. Only what
/// a real service sees: the public catalog, the session so far and the listener's logged
/// history, never the simulator's hidden taste space.
public struct RankerFeatures: Sendable {
    /// Per-generator columns first (one rank each), then these, in this order.
    public static let contextNames = [
        "generators proposing", "popularity", "duration", "artist plays in session", "artist skips in session",
        "same artist as last", "same genre as last", "last fraction", "position", "sound similarity",
        "session genre share", "history artist share", "history genre share",
    ]

    /// A play counts as well heard (its sound is what the listener wants more of) from here.
    public static let wellHeard: Float = 0.5
    /// A play this short is a skip.
    public static let skipped: Float = 0.3

    public let generators: [String]
    public let catalog: Catalog
    /// Audio features standardised over the catalog (mean 0, sd 1), so each counts alike in
    /// the cosine; empty when the catalog has none.
    private let standardised: [Float]

    public init(generators: [String], catalog: Catalog) {
        self.generators = generators
        self.catalog = catalog
        standardised = Self.standardise(catalog)
    }

    /// Feature groups for ablations (`train ranker --ablate GROUP`): a group's columns are
    /// hidden from training (all missing), so no tree splits on them.
    public static let groups: [(name: String, features: [String])] = [
        ("generators", ["generators proposing"]),  // and every "<generator> rank"
        ("catalog", ["popularity", "duration"]),
        ("session-artist", ["artist plays in session", "artist skips in session", "same artist as last"]),
        ("session-sound", ["same genre as last", "sound similarity", "session genre share"]),
        ("session-state", ["last fraction", "position"]),
        ("history", ["history artist share", "history genre share"]),
    ]

    /// The column indices of `group` among `names`; nil for an unknown group.
    public static func columns(of group: String, in names: [String]) -> [Int]? {
        guard let g = groups.first(where: { $0.name == group }) else { return nil }
        return names.indices.filter { g.features.contains(names[$0]) || (group == "generators" && names[$0].hasSuffix(" rank")) }
    }

    public static func names(generators: [String]) -> [String] {
        generators.map { "\($0) rank" } + contextNames
    }

    public var names: [String] { Self.names(generators: generators) }

    /// What every candidate of one request shares, computed once per request.
    public struct Summary: Sendable {
        var artistPlays: [Int32: Int] = [:]
        var artistSkips: [Int32: Int] = [:]
        var lastArtist: Int32 = -1
        var lastGenre: Int32 = -1
        var lastFraction: Float = .nan
        var position: Int = 0
        var wellHeardCentroid: [Float]? = nil
        var sessionGenre: [Int32: Float] = [:]
        var historyArtist: [Int32: Float] = [:]
        var historyGenre: [Int32: Float] = [:]
        var hasHistory = false
    }

    func mainGenre(_ t: TrackID) -> Int32 { catalog.genres(t).first ?? -1 }

    public func summary(_ context: RecommendationContext) -> Summary {
        var s = Summary()
        s.position = context.session.count
        var centroid = [Float](repeating: 0, count: standardised.isEmpty ? 0 : Catalog.featureCount)
        var heard = 0
        var sessionTotal: Float = 0
        for (t, f) in context.session {
            let a = catalog.artist(t)
            s.artistPlays[a, default: 0] += 1
            if f < Self.skipped { s.artistSkips[a, default: 0] += 1 }
            s.sessionGenre[mainGenre(t), default: 0] += f
            sessionTotal += f
            if f >= Self.wellHeard, !centroid.isEmpty {
                heard += 1
                let base = Int(t) * Catalog.featureCount
                for i in 0..<Catalog.featureCount { centroid[i] += standardised[base + i] }
            }
        }
        if sessionTotal > 0 { for (g, w) in s.sessionGenre { s.sessionGenre[g] = w / sessionTotal } }
        if heard > 0 { s.wellHeardCentroid = centroid.map { $0 / Float(heard) } }
        if let (t, f) = context.session.last {
            s.lastArtist = catalog.artist(t)
            s.lastGenre = mainGenre(t)
            s.lastFraction = f
        }
        var historyTotal: Float = 0
        for (t, f) in context.history {
            s.historyArtist[catalog.artist(t), default: 0] += f
            s.historyGenre[mainGenre(t), default: 0] += f
            historyTotal += f
        }
        if historyTotal > 0 {
            s.hasHistory = true
            for (a, w) in s.historyArtist { s.historyArtist[a] = w / historyTotal }
            for (g, w) in s.historyGenre { s.historyGenre[g] = w / historyTotal }
        }
        return s
    }

    /// Appends one row (`names.count` values; NaN = missing) for `entry` to `out`.
    public func append(_ entry: CandidateUnion.Entry, summary s: Summary, to out: inout [Float]) {
        let t = entry.track
        var proposing = 0
        for r in entry.ranks {
            if let r { out.append(Float(r)); proposing += 1 } else { out.append(.nan) }
        }
        let artist = catalog.artist(t)
        let genre = mainGenre(t)
        out.append(Float(proposing))
        out.append(catalog.popularity.isEmpty ? .nan : catalog.popularity[Int(t)])
        out.append(catalog.duration(t))
        out.append(Float(s.artistPlays[artist] ?? 0))
        out.append(Float(s.artistSkips[artist] ?? 0))
        out.append(s.position == 0 ? .nan : (artist == s.lastArtist ? 1 : 0))
        out.append(s.position == 0 || genre < 0 ? .nan : (genre == s.lastGenre ? 1 : 0))
        out.append(s.lastFraction)
        out.append(Float(s.position))
        out.append(s.wellHeardCentroid.map { cosine($0, t) } ?? .nan)
        out.append(s.position == 0 ? .nan : (s.sessionGenre[genre] ?? 0))
        out.append(s.hasHistory ? (s.historyArtist[artist] ?? 0) : .nan)
        out.append(s.hasHistory ? (s.historyGenre[genre] ?? 0) : .nan)
    }

    /// The rows of every entry of one request.
    public func matrix(_ entries: [CandidateUnion.Entry], context: RecommendationContext) -> FeatureMatrix {
        let s = summary(context)
        var values: [Float] = []
        values.reserveCapacity(entries.count * names.count)
        for e in entries { append(e, summary: s, to: &values) }
        return FeatureMatrix(columns: names.count, values: values)
    }

    private func cosine(_ centroid: [Float], _ t: TrackID) -> Float {
        let base = Int(t) * Catalog.featureCount
        var dot: Float = 0, a: Float = 0, b: Float = 0
        for i in 0..<Catalog.featureCount {
            let x = standardised[base + i]
            dot += centroid[i] * x
            a += centroid[i] * centroid[i]
            b += x * x
        }
        let norm = (a * b).squareRoot()
        return norm > 0 ? dot / norm : 0
    }

    private static func standardise(_ catalog: Catalog) -> [Float] {
        guard catalog.hasFeatures, catalog.count > 0 else { return [] }
        let d = Catalog.featureCount
        var mean = [Double](repeating: 0, count: d), square = [Double](repeating: 0, count: d)
        for t in 0..<catalog.count {
            for i in 0..<d {
                let x = Double(catalog.features[t * d + i])
                mean[i] += x
                square[i] += x * x
            }
        }
        let n = Double(catalog.count)
        let sd = (0..<d).map { i -> Double in
            let m = mean[i] / n
            return max((square[i] / n - m * m).squareRoot(), 1e-9)
        }
        var out = [Float](repeating: 0, count: catalog.features.count)
        for t in 0..<catalog.count {
            for i in 0..<d { out[t * d + i] = Float((Double(catalog.features[t * d + i]) - mean[i] / n) / sd[i]) }
        }
        return out
    }
}
