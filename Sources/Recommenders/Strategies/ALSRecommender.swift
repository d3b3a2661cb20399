import CVectorKernels
import Core

/// The learned side of iALS that serving needs: item factors, the Gram matrix for fold-in, and
/// (on large catalogs) an HNSW index for top-k by inner product.
public struct ALSModel: Sendable {
    public let factors: Int
    public let alpha: Float
    public let regularization: Float
    public let itemFactors: [Float]
    /// YᵀY + λI, k × k.
    let gram: [Float]
    /// Items augmented to one norm (Bachrach et al.), so inner product ranks like a metric.
    public let index: HNSWIndex?

    public init(factors: Int, alpha: Float, regularization: Float, itemFactors: [Float], index: HNSWIndex?) {
        self.factors = factors
        self.alpha = alpha
        self.regularization = regularization
        self.itemFactors = itemFactors
        self.index = index
        gram = IALS.gram(itemFactors, rows: itemFactors.count / max(1, factors), k: factors,
                         regularization: regularization, threads: 1)
    }

    /// Builds the HNSW index over [y, √(M² − |y|²)] where M is the largest item norm.
    static func augmentedIndex(itemFactors: [Float], factors k: Int, parameters: HNSWParameters) -> HNSWIndex {
        let n = itemFactors.count / k
        var norms = [Float](repeating: 0, count: n)
        for i in 0..<n { norms[i] = itemFactors[i * k..<(i + 1) * k].reduce(0) { $0 + $1 * $1 } }
        let maxNorm = norms.max() ?? 0
        var augmented: [Float] = []
        augmented.reserveCapacity(n * (k + 1))
        for i in 0..<n {
            augmented.append(contentsOf: itemFactors[i * k..<(i + 1) * k])
            augmented.append(max(0, maxNorm - norms[i]).squareRoot())
        }
        return HNSWIndex(vectors: augmented, dimension: k + 1, metric: .innerProduct, parameters: parameters)
    }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.write(UInt32(factors))
        w.write(alpha)
        w.write(regularization)
        w.write(itemFactors)
        w.write(index?.encoded() ?? [])
        return w.bytes
    }

    init(bytes: [UInt8], items: Int, what: String) throws {
        var r = ByteReader(bytes, what: what)
        let k = Int(try r.read(UInt32.self, field: "factors"))
        let alpha = try r.readFloat(field: "alpha")
        let reg = try r.readFloat(field: "regularization")
        let y = try r.readFloats(field: "itemFactors")
        let indexBytes = try r.readBytes(field: "index")
        guard k > 0, y.count == items * k, r.isAtEnd else {
            throw InputError(file: what, field: "itemFactors", "expected \(items) items × factors")
        }
        let index = indexBytes.isEmpty ? nil : try HNSWIndex(bytes: indexBytes, what: what)
        guard index == nil || (index!.count == items && index!.dimension == k + 1) else {
            throw InputError(file: what, field: "index", "index does not match the item factors")
        }
        self.init(factors: k, alpha: alpha, regularization: reg, itemFactors: y, index: index)
    }
}

/// iALS serving: the listener's vector is folded in from this session and recent history
/// (a few CG steps of the least-squares problem, item factors fixed), then the best-scoring
/// unplayed tracks.
public struct ALSRecommender: Recommender {
    public static let strategyName = "als"
    public let name = ALSRecommender.strategyName
    public static let about = "matrix factorisation (iALS) of logged listening; your taste vector from what you heard"
    public var summary: String { Self.about }
    public static let foldInSteps = 6
    let model: ALSModel?
    let fallbacks: Fallbacks
    let pool: ScratchPool<ALSScratch>

    public init(index: CatalogIndex, model trained: TrainedModel?) throws {
        fallbacks = Fallbacks(index: index)
        if let trained {
            try trained.check(strategy: Self.strategyName, catalog: index.catalog)
            model = try ALSModel(bytes: trained.payload, items: index.catalog.count, what: "model '\(Self.strategyName)'")
        } else {
            model = nil
        }
        let k = model?.factors ?? 1
        pool = ScratchPool { ALSScratch(k: k) }
    }

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        guard let model else { return fallbacks.popular(context, because: "als not trained yet", using: &rng) }
        let hit: (TrackID, Float)? = pool.with { s in
            guard foldIn(context, model: model, scratch: &s) else { return nil }
            return top(context, model: model, k: 1, scratch: &s).first
        }
        guard let (t, score) = hit else {
            return fallbacks.popular(context, because: "nothing heard yet to fold in a taste vector", using: &rng)
        }
        return Recommendation(track: t, reason: "fits your taste vector (score \(formatScore(score)))")
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        guard let model else { return fallbacks.popular.candidates(context, k: k, using: &rng) }
        let hits: [(TrackID, Float)] = pool.with { s in
            guard foldIn(context, model: model, scratch: &s) else { return [] }
            return top(context, model: model, k: k, scratch: &s)
        }
        let ranked = hits.map { Recommendation(track: $0.0, reason: context.explains ? "fits your taste vector (score \(formatScore($0.1)))" : "") }
        return fillCandidates(ranked, k: k, context: context, fallback: fallbacks.popular, using: &rng)
    }

    /// Solves the user's vector into `scratch.x`; false when nothing was heard.
    func foldIn(_ context: RecommendationContext, model: ALSModel, scratch s: inout ALSScratch) -> Bool {
        s.items.removeAll(keepingCapacity: true)
        s.values.removeAll(keepingCapacity: true)
        AnchorWeight.forEach(context) { t, w in
            if let i = s.items.firstIndex(of: t) { s.values[i] += w } else { s.items.append(t); s.values.append(w) }
        }
        guard !s.items.isEmpty else { return false }
        let k = model.factors
        for a in 0..<k { s.x[a] = 0 }
        let count = s.items.count
        s.x.withUnsafeMutableBufferPointer { x in
            model.itemFactors.withUnsafeBufferPointer { y in
                model.gram.withUnsafeBufferPointer { g in
                    s.items.withUnsafeBufferPointer { items in
                        s.values.withUnsafeBufferPointer { values in
                            // One row: its entries run from offset 0 to `count`.
                            let bounds = SIMD2(0, count)
                            withUnsafeBytes(of: bounds) { raw in
                                bv_best_kernels()!.pointee.ials_cg_rows(x.baseAddress!, y.baseAddress!, g.baseAddress!,
                                                                        raw.baseAddress!.assumingMemoryBound(to: Int.self),
                                                                        items.baseAddress!, values.baseAddress!, k, model.alpha,
                                                                        Int32(Self.foldInSteps), 0, 1)
                            }
                        }
                    }
                }
            }
        }
        return true
    }

    /// The k best unplayed tracks for `scratch.x`, best first, with their scores.
    func top(_ context: RecommendationContext, model: ALSModel, k: Int, scratch s: inout ALSScratch) -> [(TrackID, Float)] {
        let f = model.factors
        if let index = model.index {
            for a in 0..<f { s.query[a] = s.x[a] }
            s.query[f] = 0
            let want = k + context.session.count
            index.search(s.query, k: want, ef: max(16, 2 * want), scratch: &s.hnsw)
            var out: [(TrackID, Float)] = []
            for (id, d) in zip(s.hnsw.ids, s.hnsw.distances) where out.count < k && !context.played(id) {
                out.append((id, 1 - d))
            }
            if !out.isEmpty { return out }
        }
        // Exact scan: small catalogs, or every ANN hit already played.
        let n = model.itemFactors.count / f
        var best = TopScores(k: k)
        s.x.withUnsafeBufferPointer { x in
            model.itemFactors.withUnsafeBufferPointer { y in
                for i in 0..<n where !context.played(TrackID(i)) {
                    best.offer(VectorMath.dot(x.baseAddress!, y.baseAddress! + i * f, f), Int32(i))
                }
            }
        }
        return best.drainBestFirst().map { ($0.id, $0.score) }
    }
}

struct ALSScratch {
    var x: [Float]
    var query: [Float]
    var items: [Int32] = []
    var values: [Float] = []
    var hnsw = HNSWScratch()

    init(k: Int) {
        x = Array(repeating: 0, count: k)
        query = Array(repeating: 0, count: k + 1)
    }
}

/// Trains iALS on user × track listening (sum of listened fractions over all sessions).
public struct ALSTrainer: Trainer {
    public let strategy = ALSRecommender.strategyName
    /// Catalogs at least this large get an HNSW index for serving; smaller ones are scanned.
    public var annThreshold: Int
    public var hnsw: HNSWParameters

    public init(annThreshold: Int = 2_000, hnsw: HNSWParameters = HNSWParameters(m: 16, efConstruction: 100)) {
        self.annThreshold = annThreshold
        self.hnsw = hnsw
    }

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options o: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        try Self.check(o)
        let (userIDs, matrix) = Self.matrix(sessions, catalog: catalog)
        let ials = IALS.train(matrix, parameters: Self.parameters(o))
        return fitted(ials, matrix: matrix, users: userIDs.count, options: o)
    }

    static func check(_ o: TrainingOptions) throws {
        guard o.factors > 0, o.iterations >= 0, o.alpha >= 0, o.regularization >= 0 else {
            throw InputError(field: "als options", value: "factors \(o.factors) iterations \(o.iterations) alpha \(o.alpha) reg \(o.regularization)",
                             "factors must be positive; iterations, alpha and reg non-negative")
        }
    }

    static func parameters(_ o: TrainingOptions) -> IALS.Parameters {
        IALS.Parameters(factors: o.factors, iterations: o.iterations, alpha: o.alpha,
                        regularization: o.regularization, seed: o.seed, threads: o.threads)
    }

    /// User × track listening (sum of listened fractions), one row per distinct user in id order.
    static func matrix(_ sessions: [ListeningSession], catalog: Catalog) -> (userIDs: [Int64], matrix: SparseMatrix) {
        let userIDs = Array(Set(sessions.map(\.user))).sorted()
        let row = Dictionary(uniqueKeysWithValues: userIDs.enumerated().map { ($1, Int32($0)) })
        var triples: [(row: Int32, column: Int32, value: Float)] = []
        for s in sessions {
            let u = row[s.user]!
            for (t, f) in zip(s.tracks, s.fractions) where f > 0 { triples.append((u, t, f)) }
        }
        return (userIDs, SparseMatrix(rows: userIDs.count, columns: catalog.count, triples: triples))
    }

    /// The served model of trained factors: item factors, the HNSW index on large catalogs, the loss.
    func fitted(_ ials: IALS, matrix: SparseMatrix, users: Int, options o: TrainingOptions)
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        let index = matrix.columns >= annThreshold
            ? ALSModel.augmentedIndex(itemFactors: ials.itemFactors, factors: o.factors, parameters: hnsw) : nil
        let model = ALSModel(factors: o.factors, alpha: o.alpha, regularization: o.regularization,
                             itemFactors: ials.itemFactors, index: index)
        let parameters: [String: Double] = ["factors": Double(o.factors), "iterations": Double(o.iterations),
                                            "alpha": Double(o.alpha), "reg": Double(o.regularization),
                                            "seed": Double(o.seed), "users": Double(users)]
        return (model.encoded(), parameters, ials.loss(matrix))
    }
}
