import Core
import Foundation
import Recommenders

/// The recommender of the lectures (issue #17, docs/RANKER.md): candidates from several
/// generators, scored by gradient-boosted trees, then business rules (no repeat, artist cap,
/// MMR diversity, an exploration share). Untrained it orders the union by votes (how many
/// generators proposed a track, then its best rank), which, with exploration, is day 1's
/// exploring policy.
public struct RankerRecommender: StagedRecommender {
    public let name = RankerStrategy.name
    public let summary = RankerStrategy.summary
    public let union: CandidateUnion
    public let features: RankerFeatures
    public let config: RankerConfig
    /// nil: not trained, the vote order.
    public let booster: Booster?
    /// The booster's trees, evaluated in Swift: what scores and explains at serving time
    /// (`TreeEnsemble` says why); nil only if the booster's JSON cannot be read, and then
    /// XGBoost's own prediction serves, with the same scores.
    public internal(set) var ensemble: TreeEnsemble?
    /// What computes this ranker's features (names, K, generators with their models), as a
    /// `RankerModel` without trees: the feature set its logged vectors are stored under.
    public let featureSet: RankerModel
    private let fallback = FreshRandomRecommender()

    /// The same candidates, features and trees under other rules (artist cap and window, MMR
    /// diversity, exploration share); the generators and K stay the ones it was built with.
    public func withRules(_ rules: RankerConfig) -> RankerRecommender {
        var config = self.config
        config.artistCap = rules.artistCap
        config.artistWindow = rules.artistWindow
        config.diversity = rules.diversity
        config.exploration = rules.exploration
        return RankerRecommender(union: union, features: features, config: config, booster: booster,
                                 generatorModels: featureSet.generators.map(\.model), ensemble: ensemble)
    }

    public init(union: CandidateUnion, features: RankerFeatures, config: RankerConfig, booster: Booster?,
                generatorModels: [TrainedModel?]? = nil, ensemble: TreeEnsemble? = nil) {
        self.union = union
        self.features = features
        self.config = config
        self.booster = booster
        self.ensemble = ensemble ?? booster.flatMap { b in (try? b.saved()).flatMap { try? TreeEnsemble(json: $0) } }
        let models = generatorModels ?? [TrainedModel?](repeating: nil, count: features.generators.count)
        featureSet = RankerModel(featureNames: features.names, k: union.k,
                                 generators: zip(features.generators, models).map { ($0, $1) }, booster: [])
    }

    struct Scored {
        var entry: CandidateUnion.Entry
        var score: Float
        var row: Int
    }

    /// The union scored and ordered best first (ties by track id), with its feature rows.
    func scored(_ context: RecommendationContext, using rng: inout SeededGenerator) -> ([Scored], FeatureMatrix) {
        var clock: StageClock? = nil
        return scored(context, using: &rng, clock: &clock)
    }

    func scored(_ context: RecommendationContext, using rng: inout SeededGenerator, clock: inout StageClock?) -> ([Scored], FeatureMatrix) {
        clock?.start()
        // The generators' reasons are never shown (the why-line names them by rank), and
        // formatting them was a large share of this stage.
        var quiet = context
        quiet.explains = false
        let entries = union.build(quiet, using: &rng)
        clock?.lap(\.candidates)
        let matrix = features.matrix(entries, context: context)
        clock?.lap(\.features)
        var scores: [Float]
        if let ensemble, !entries.isEmpty {
            scores = ensemble.predict(matrix)
        } else if let booster, let predicted = try? booster.predict(matrix) {
            scores = predicted
        } else {
            // Votes first, then the best rank: a score in (0, generators].
            scores = entries.map { e in
                let ranks = e.ranks.compactMap { $0 }
                return Float(ranks.count) + 1 / Float(2 + (ranks.min() ?? config.k))
            }
        }
        var out = entries.enumerated().map { Scored(entry: $1, score: scores[$0], row: $0) }
        out.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry.track < $1.entry.track }
        clock?.lap(\.scoring)
        return (out, matrix)
    }

    /// Drops candidates whose artist already fills the cap in the session's recent plays;
    /// when that leaves nothing (a tiny catalog, one artist) the cap gives way.
    func capped(_ list: [Scored], _ context: RecommendationContext) -> (list: [Scored], relaxed: Bool) {
        var recent: [Int32: Int] = [:]
        for (t, _) in context.session.suffix(config.artistWindow) { recent[context.catalog.artist(t), default: 0] += 1 }
        let kept = list.filter { (recent[context.catalog.artist($0.entry.track)] ?? 0) < config.artistCap }
        return kept.isEmpty ? (list, true) : (kept, false)
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        serve(context, using: &rng).recommendation
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator, clock: inout StageClock) -> Recommendation {
        var timed: StageClock? = StageClock()
        let pick = serve(context, using: &rng, clock: &timed).recommendation
        clock = timed!
        return pick
    }

    /// The pick and the feature row the ranker computed for it while choosing (what is logged
    /// at serving time: the very values it scored, not a recomputation).
    public func serve(_ context: RecommendationContext, using rng: inout SeededGenerator) -> (recommendation: Recommendation, features: [Float]) {
        var clock: StageClock? = nil
        return serve(context, using: &rng, clock: &clock)
    }

    /// `serve`, timing its stages into `clock` when there is one (`botify eval --ranker-stages`).
    public func serve(_ context: RecommendationContext, using rng: inout SeededGenerator, clock: inout StageClock?)
        -> (recommendation: Recommendation, features: [Float]) {
        let (ranked, matrix) = scored(context, using: &rng, clock: &clock)
        let (pool, relaxed) = capped(ranked, context)
        guard let best = pool.first else {
            var r = fallback.next(context, using: &rng)
            r.reason = "no generator has an unplayed candidate: \(r.reason) (fallback)"
            clock?.lap(\.rules)
            return (r, unproposedRow(r.track, context))
        }
        let cap = relaxed ? " (artist cap relaxed: every candidate's artist is at it)" : ""
        if rng.nextUnit() < config.exploration {
            let pick = pool[Int(rng.next() % UInt64(pool.count))]
            clock?.lap(\.rules)
            return (Recommendation(track: pick.entry.track,
                                   reason: "exploring (\(percent(config.exploration)) of picks): uniform over \(pool.count) candidates; \(proposers(pick.entry))\(cap)"),
                    matrix.row(pick.row))
        }
        clock?.lap(\.rules)
        // The contributions cost as much as the scoring: only for a caller that shows them.
        let reason = (context.explains ? explain(best, matrix) : "ranker \(format(best.score)) (not explained: headless)") + cap
        clock?.lap(\.explanation)
        return (Recommendation(track: best.entry.track, reason: reason), matrix.row(best.row))
    }

    /// The ranker's features for `track` served in `context` by any strategy: the candidate
    /// union is built as when the ranker serves (generator ranks missing where no generator
    /// proposed it). The same computation as the trainer's, which is what it replaces.
    public func featureRow(for track: TrackID, in context: RecommendationContext, using rng: inout SeededGenerator) -> [Float] {
        let entries = union.build(context, using: &rng)
        guard let entry = entries.first(where: { $0.track == track }) else { return unproposedRow(track, context) }
        var row: [Float] = []
        features.append(entry, summary: features.summary(context), to: &row)
        return row
    }

    private func unproposedRow(_ track: TrackID, _ context: RecommendationContext) -> [Float] {
        var row: [Float] = []
        features.append(CandidateUnion.Entry(track: track, ranks: [Int?](repeating: nil, count: union.generators.count)),
                        summary: features.summary(context), to: &row)
        return row
    }

    /// The top `k` after the rules, picked greedily by MMR.
    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        let (ranked, _) = scored(context, using: &rng)
        var pool = capped(ranked, context).list
        var listed: [Int32: Int] = [:]
        for (t, _) in context.session.suffix(config.artistWindow) { listed[context.catalog.artist(t), default: 0] += 1 }
        var out: [Scored] = []
        let top = pool.first?.score ?? 1
        let scale = top > 0 ? top : 1
        while out.count < k, !pool.isEmpty {
            // The artist cap holds within the list too, unless only capped artists remain.
            let open = pool.indices.filter { (listed[context.catalog.artist(pool[$0].entry.track)] ?? 0) < config.artistCap }
            var bestIndex = open.first ?? 0
            var bestValue = -Float.infinity
            for i in open.isEmpty ? Array(pool.indices) : open {
                let c = pool[i]
                let closest = out.reduce(Float(0)) { max($0, similarity(c.entry.track, $1.entry.track, context.catalog)) }
                let value = (1 - config.diversity) * c.score / scale - config.diversity * closest
                if value > bestValue { bestValue = value; bestIndex = i }
            }
            let chosen = pool.remove(at: bestIndex)
            listed[context.catalog.artist(chosen.entry.track), default: 0] += 1
            out.append(chosen)
        }
        var result = out.map { Recommendation(track: $0.entry.track, reason: "ranker \(format($0.score)); \(proposers($0.entry))") }
        if result.count < k {
            var seen = Set(result.map(\.track))
            for r in fallback.candidates(context, k: k, using: &rng)
            where result.count < k && !context.played(r.track) && seen.insert(r.track).inserted {
                result.append(r)
            }
        }
        return result
    }

    private func similarity(_ a: TrackID, _ b: TrackID, _ catalog: Catalog) -> Float {
        if catalog.artist(a) == catalog.artist(b) { return 1 }
        let ga = catalog.genres(a).first, gb = catalog.genres(b).first
        return ga != nil && ga == gb ? 0.5 : 0
    }

    /// "proposed by i2i #3, als #12" (ranks 1-based, as people count).
    func proposers(_ e: CandidateUnion.Entry) -> String {
        let names = union.names
        let by = e.ranks.enumerated().compactMap { g, r in r.map { "\(names[g]) #\($0 + 1)" } }
        return by.isEmpty ? "proposed by no generator" : "proposed by \(by.joined(separator: ", "))"
    }

    /// The why-line: the generators that proposed the track and the model's largest feature
    /// contributions (XGBoost's pred_contribs, log-odds), e.g. "i2i rank 3 (+0.21)".
    func explain(_ s: Scored, _ matrix: FeatureMatrix) -> String {
        let head = booster == nil ? "ranker (untrained: most generators agree)" : "ranker \(format(s.score))"
        guard let booster else { return "\(head); \(proposers(s.entry))" }
        let columns = matrix.columns
        let row = FeatureMatrix(columns: columns, values: matrix.row(s.row))
        guard let contributions = ensemble?.contributions(row.values) ?? (try? booster.contributions(row)) else {
            return "\(head); \(proposers(s.entry))"
        }
        let names = features.names
        let top = (0..<columns).sorted { abs(contributions[$0]) != abs(contributions[$1]) ? abs(contributions[$0]) > abs(contributions[$1]) : $0 < $1 }
            .prefix(2).filter { contributions[$0] != 0 }
        let parts = top.map { i -> String in
            let v = row.values[i]
            let value = v.isNaN ? "missing" : (names[i].hasSuffix(" rank") ? "#\(Int(v) + 1)" : format(v))
            let c = contributions[i]
            return "\(names[i]) \(value) (\(c >= 0 ? "+" : "−")\(format(abs(c))))"
        }
        return "\(head); \(proposers(s.entry))" + (parts.isEmpty ? "" : "; \(parts.joined(separator: ", "))")
    }

    private func format(_ x: Float) -> String {
        let r = (Double(x) * 100).rounded() / 100
        return String(format: "%.2f", r)
    }

    private func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
}
