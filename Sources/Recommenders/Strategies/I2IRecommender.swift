import Core

/// `i2i`, the course's `I2IRecommender` (`botify/recommenders/i2i.py`) served from botify's
/// co-listening table (trained by `I2ITrainer`; the course serves LightFM or SASRec lists, the
/// serving rule is the same). The course keeps each user's last 10 listens (`LISTEN_HISTORY_LIMIT`,
/// across sessions, the previous track included) and:
/// - sums the listened fraction per distinct track of those 10: these are the anchors and their
///   weights;
/// - draws an anchor with probability ∝ weight (`random.choices`) and answers its first
///   neighbour that is not among the 10 remembered tracks; an anchor with no such neighbour (or
///   no list) is removed and another drawn;
/// - when no anchor is left, answers the course's `random` (repeats allowed).
/// Only the last 10 plays are avoided, so a long session can hear an earlier track again. When
/// every anchor left weighs 0 the course raises ("Total of weights must be greater than zero",
/// an HTTP 500); botify answers `random` there too and says so in the reason. Untrained, it is
/// `random`.
public struct I2IRecommender: Recommender {
    public static let strategyName = "i2i"
    /// How many of the user's latest plays the course remembers (`LISTEN_HISTORY_LIMIT`).
    public static let historyLimit = 10
    public let name = I2IRecommender.strategyName
    public static let about = "co-listened with one of your last 10 plays (anchor ∝ time heard), as the course's I2I serves it"
    public var summary: String { Self.about }
    let table: NeighbourTable?
    let fallbacks: Fallbacks

    public init(index: CatalogIndex, model: TrainedModel?) throws {
        fallbacks = Fallbacks(index: index)
        table = try NeighbourTable.of(model, strategy: Self.strategyName, catalog: index.catalog)
    }

    /// The remembered plays, newest first: this session backwards, then earlier sessions.
    static func window(_ context: RecommendationContext) -> [(track: TrackID, fraction: Float)] {
        var out: [(track: TrackID, fraction: Float)] = []
        out.reserveCapacity(historyLimit)
        for p in context.session.reversed() where out.count < historyLimit { out.append(p) }
        for p in context.history.reversed() where out.count < historyLimit { out.append(p) }
        return out
    }

    /// Distinct tracks of the window in first-seen (newest) order with their summed fractions.
    static func anchors(_ window: [(track: TrackID, fraction: Float)]) -> (tracks: [TrackID], weights: [Double]) {
        var tracks: [TrackID] = [], weights: [Double] = []
        for p in window {
            if let i = tracks.firstIndex(of: p.track) { weights[i] += Double(p.fraction) } else {
                tracks.append(p.track)
                weights.append(Double(p.fraction))
            }
        }
        return (tracks, weights)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let table else { return fallbacks.courseRandom(context, because: "i2i not trained yet", using: &rng) }
        switch Self.courseDraw(context, table: table, using: &rng) {
        case .pick(let anchor, let heard, let i):
            return Recommendation(track: table.ids[i], reason: Self.reason(context.label(anchor), heard: heard, score: table.scores[i]))
        case .none(let why):
            return fallbacks.courseRandom(context, because: why, using: &rng)
        }
    }

    /// What the course's draw gives: an anchor (with its summed fraction) and the index in the
    /// table of its first neighbour outside the window, or why there is none.
    enum CourseDraw {
        case pick(anchor: TrackID, heard: Double, index: Int)
        case none(String)
    }

    /// The course's serving rule over any neighbour table (botify's trained one, or lists
    /// imported from the course's files): `I2IRecommender.recommend_next` in `i2i.py`.
    static func courseDraw(_ context: RecommendationContext, table: NeighbourTable, using rng: inout SeededGenerator) -> CourseDraw {
        let window = Self.window(context)
        let seen = window.map(\.track)
        var (anchors, weights) = Self.anchors(window)
        var why = window.isEmpty ? "no listening yet" : "no co-listened track left for your last \(Self.historyLimit) plays"
        while !anchors.isEmpty {
            let total = weights.reduce(0, +)
            guard total > 0 else {
                why = "every anchor left was heard for 0 (the course fails here: total of weights must be greater than zero)"
                break
            }
            var target = rng.nextUnit() * total
            var k = anchors.count - 1
            for i in anchors.indices where weights[i] > 0 {
                target -= weights[i]
                if target < 0 { k = i; break }
            }
            while weights[k] <= 0 { k -= 1 }  // rounding at the end: the last anchor that weighs
            let anchor = anchors[k]
            if Int(anchor) < table.trackCount {
                for i in table.neighbours(of: anchor) where !seen.contains(table.ids[i]) {
                    return .pick(anchor: anchor, heard: weights[k], index: i)
                }
            }
            anchors.remove(at: k)
            weights.remove(at: k)
        }
        return .none(why)
    }

    /// The course weighs anchors by time heard, so a track skipped early can still be drawn;
    /// the reason says how much of it the last 10 plays heard (summed over repeats).
    static func reason(_ label: String, heard: Double, score: Float) -> String {
        "people who played \(label) (heard \(formatScore(Float(heard)))) played this (score \(formatScore(score)))"
    }

    /// The ranked candidates: each anchor's first unplayed neighbour, heaviest anchor first, then
    /// their second ones, and so on; random unplayed tracks after that.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let table else { return fallbacks.random.candidates(context, k: k, using: &rng) }
        let ranked = Self.rankedCandidates(context, table: table, k: k) { anchor, heard, i in
            Self.reason(anchor, heard: heard, score: table.scores[i])
        }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.random, using: &rng)
    }

    /// Each anchor's first neighbour outside the window, heaviest anchor first, then their
    /// second ones, and so on; `reason` gets the anchor's label, its weight and the table index.
    static func rankedCandidates(_ context: RecommendationContext, table: NeighbourTable, k: Int,
                                 reason: (String, Double, Int) -> String) -> [Recommendation] {
        let window = Self.window(context)
        let seen = window.map(\.track)
        let (tracks, weights) = Self.anchors(window)
        let order = tracks.indices.filter { weights[$0] > 0 && Int(tracks[$0]) < table.trackCount }
            .sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
        var cursors = order.map { table.neighbours(of: tracks[$0]).lowerBound }
        var ranked: [Recommendation] = []
        var progressed = true
        while progressed && ranked.count < k + context.session.count {
            progressed = false
            for (j, a) in order.enumerated() {
                let range = table.neighbours(of: tracks[a])
                while cursors[j] < range.upperBound && seen.contains(table.ids[cursors[j]]) { cursors[j] += 1 }
                guard cursors[j] < range.upperBound else { continue }
                let i = cursors[j]
                cursors[j] += 1
                progressed = true
                // A caller that shows no reasons (the ranker's candidate stage) skips their formatting.
                ranked.append(Recommendation(track: table.ids[i], reason: context.explains ? reason(context.label(tracks[a]), weights[a], i) : ""))
            }
        }
        return ranked
    }
}

/// `i2i-fresh`, botify's improved item-to-item strategy over the same co-listening model as
/// `i2i`: an anchor drawn ∝ fraction over this session (weight 1) and earlier sessions (weight
/// 0.25) among tracks heard at least `minimumFraction` (half) with a neighbour not yet played
/// this session, then its best such neighbour; `top-pop` when none is left. A track skipped
/// early is never an anchor. Never repeats a track of the session.
public struct FreshI2IRecommender: Recommender {
    public static let strategyName = "i2i-fresh"
    public let name = FreshI2IRecommender.strategyName
    public static let about = "people who listened to a track you heard at least half of also listened to this (co-listening), never a repeat"
    public var summary: String { Self.about }
    /// Only plays heard at least this fraction are anchors.
    public static let minimumFraction: Float = 0.5
    let table: NeighbourTable?
    let fallbacks: Fallbacks

    /// `model` is the `i2i` model (both strategies read the same co-listening table).
    public init(index: CatalogIndex, model: TrainedModel?) throws {
        fallbacks = Fallbacks(index: index)
        table = try NeighbourTable.of(model, strategy: I2IRecommender.strategyName, catalog: index.catalog)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let table else { return fallbacks.popular(context, because: "i2i not trained yet", using: &rng) }
        let hasUnplayed = { (t: TrackID) -> Bool in
            table.neighbours(of: t).contains { !context.played(table.ids[$0]) }
        }
        if let anchor = AnchorWeight.sample(context, minimumFraction: Self.minimumFraction, eligible: hasUnplayed, using: &rng) {
            for i in table.neighbours(of: anchor) where !context.played(table.ids[i]) {
                return Recommendation(track: table.ids[i],
                                      reason: "people who played \(context.label(anchor)) played this (score \(formatScore(table.scores[i])))")
            }
        }
        let why = context.session.isEmpty && context.history.isEmpty ? "no listening yet" : "no co-listened track left for what you heard at least half of"
        return fallbacks.popular(context, because: why, using: &rng)
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let table else { return fallbacks.popular.candidates(context, k: k, using: &rng) }
        let ranked = AnchorWeight.aggregate(context, table: table, minimumFraction: Self.minimumFraction).prefix(k + context.session.count).map {
            Recommendation(track: $0.0, reason: "people who played \(context.label($0.2)) played this (score \(formatScore($0.1)))")
        }
        return fillCandidates(Array(ranked), k: k, context: context, fallback: fallbacks.popular, using: &rng)
    }
}

/// Learns co-listening: tracks heard in one session, weighted by the product of their listened
/// fractions, scored by cosine (co-listening / √(listening a · listening b)).
public struct I2ITrainer: Trainer {
    public let strategy = I2IRecommender.strategyName
    /// Neighbours kept per track.
    public var keep = 50
    /// Only the first `window` plays of a very long session pair up, bounding the cost.
    public var window = 64

    public init() {}

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        var mass = Array(repeating: Float(0), count: catalog.count)
        var pairs: [UInt64: Float] = [:]
        count(sessions[...], mass: &mass, pairs: &pairs)
        let table = NeighbourTable(trackCount: catalog.count, pairs: cosine(pairs, mass: mass), keep: keep)
        return (table.encoded(), parameters, nil)
    }

    var parameters: [String: Double] { ["keep": Double(keep), "window": Double(window)] }

    /// Adds `sessions`' listening per track and co-listening per ordered pair (a << 32 | b).
    func count(_ sessions: ArraySlice<ListeningSession>, mass: inout [Float], pairs: inout [UInt64: Float]) {
        for s in sessions {
            let n = min(s.tracks.count, window)
            for i in 0..<n where s.fractions[i] > 0 {
                let a = s.tracks[i]
                mass[Int(a)] += s.fractions[i]
                for j in 0..<n where j != i && s.fractions[j] > 0 && s.tracks[j] != a {
                    pairs[UInt64(UInt32(a)) << 32 | UInt64(UInt32(s.tracks[j])), default: 0] += s.fractions[i] * s.fractions[j]
                }
            }
        }
    }

    /// Co-listening / √(listening a · listening b).
    func cosine(_ pairs: [UInt64: Float], mass: [Float]) -> [UInt64: Float] {
        var scores = pairs
        for (key, co) in pairs {
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            scores[key] = co / (mass[a] * mass[b]).squareRoot()
        }
        return scores
    }
}

func formatScore(_ x: Float) -> String {
    let r = (x * 100).rounded() / 100
    return r == r.rounded() ? "\(Int(r)).00" : String(describing: r)
}
