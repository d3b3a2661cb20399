import Core
import Dispatch
import Recommenders

/// Which generators feed the ranker and the business rules after it (docs/RANKER.md).
public struct RankerConfig: Sendable, Equatable {
    public static let defaultGenerators = ["i2i", "als", "content-knn", "markov", "top-pop", "sticky-artist"]
    public var generators: [String]
    /// Candidates each generator contributes at most.
    public var k: Int
    /// At most this many plays of one artist among the session's last `artistWindow` plays
    /// (and in one candidate list).
    public var artistCap: Int
    public var artistWindow: Int
    /// MMR weight of diversity in a candidate list: score·(1 − d) − d·max similarity to the
    /// tracks already listed (same artist 1, same main genre 0.5); 0 ranks by score alone.
    public var diversity: Float
    /// Share of picks drawn uniformly from the capped candidate union, so that the logs keep
    /// showing what the model would not pick (and stay learnable).
    public var exploration: Double

    public init(generators: [String] = RankerConfig.defaultGenerators, k: Int = 50, artistCap: Int = 2,
                artistWindow: Int = 10, diversity: Float = 0.2, exploration: Double = 0.1) {
        self.generators = generators
        self.k = k
        self.artistCap = artistCap
        self.artistWindow = artistWindow
        self.diversity = diversity
        self.exploration = exploration
    }
}

/// XGBoost's knobs for `botify train ranker`.
public struct BoostParameters: Sendable, Equatable {
    public var rounds: Int
    public var depth: Int
    public var eta: Double
    /// The newest share of sessions whose plays become training rows; the generators learn
    /// from the older rest, so a row's generator features never saw the play they describe.
    public var labelShare: Double
    /// Training rows at most (the newest sessions first), which bounds memory and time.
    public var maxRows: Int
    /// Feature groups (`RankerFeatures.groups`) hidden from training, for ablations.
    public var ablated: [String] = []

    public init(rounds: Int = 100, depth: Int = 6, eta: Double = 0.1, labelShare: Double = 0.3, maxRows: Int = 200_000) {
        self.rounds = rounds
        self.depth = depth
        self.eta = eta
        self.labelShare = labelShare
        self.maxRows = maxRows
    }
}

/// Learns the ranker from logged sessions: regression of the listened fraction
/// (`reg:logistic`, labels in [0, 1]) on the features of the track that was served. A log
/// holds one outcome per request (the track served), so there is no within-request order for
/// `rank:pairwise` to learn from; pairs against tracks never served would teach the model what
/// the logging policy served, not what listeners heard.
public struct RankerTrainer: Trainer {
    public let strategy = RankerStrategy.name
    public var config: RankerConfig
    public var boost: BoostParameters
    /// Listener history handed to each training context (as `botify eval` does).
    public var historyLength = 50
    /// When set, the rows are these vectors logged at serving time and the fractions that
    /// followed (`train ranker --from-logged-features`), not features recomputed from the log.
    public var logged: LoggedRankerRows?

    public init(config: RankerConfig = RankerConfig(), boost: BoostParameters = BoostParameters()) {
        self.config = config
        self.boost = boost
    }

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        if let logged { return try fitLogged(logged, sessions: sessions, options: options) }
        let ordered = sessions.sorted { $0.sessionID < $1.sessionID }
        let cut = ordered.count - Int((Double(ordered.count) * boost.labelShare).rounded())
        guard cut > 0, cut < ordered.count else {
            throw InputError(field: "sessions", value: String(ordered.count),
                             "the ranker needs sessions for its generators and newer ones to learn from; log more sessions")
        }
        let older = Array(ordered[..<cut])
        guard older.contains(where: { !$0.tracks.isEmpty }) else {
            throw InputError(field: "sessions", "the older sessions the generators learn from hold no plays; log more sessions")
        }
        let index = CatalogIndex(catalog)
        let generators = try RankerStrategy.generators(config.generators, index: index, trainingOn: older, options: options)
        let union = CandidateUnion(generators: generators.map(\.recommender), k: config.k)
        let features = RankerFeatures(generators: config.generators, catalog: catalog)

        // Each listener's history before each session, then the newest sessions up to maxRows.
        var history: [Int64: [(track: TrackID, fraction: Float)]] = [:]
        var jobs: [(session: ListeningSession, history: [(track: TrackID, fraction: Float)])] = []
        for (i, s) in ordered.enumerated() {
            if i >= cut, s.tracks.count > 1 { jobs.append((s, history[s.user] ?? [])) }
            var h = history[s.user] ?? []
            h.append(contentsOf: zip(s.tracks, s.fractions).map { ($0, $1) })
            if h.count > historyLength { h.removeFirst(h.count - historyLength) }
            history[s.user] = h
        }
        var rows = 0, first = jobs.count
        while first > 0, rows + jobs[first - 1].session.tracks.count - 1 <= boost.maxRows {
            first -= 1
            rows += jobs[first].session.tracks.count - 1
        }
        let chosen = Array(jobs[first...])
        guard !chosen.isEmpty else {
            throw InputError(field: "sessions", "no newer session with two plays or more to learn the ranker from; log more sessions")
        }

        // Rows per session on worker threads; each play draws from its own seeded stream, so
        // the rows do not depend on the thread count.
        let columns = features.names.count
        let perJob = ParallelSlots<([Float], [Float])>(count: chosen.count)
        let threads = max(1, min(options.threads, chosen.count))
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for j in stride(from: worker, to: chosen.count, by: threads) {
                let (s, h) = chosen[j]
                var values: [Float] = [], labels: [Float] = []
                for p in 1..<s.tracks.count {
                    let context = RecommendationContext(user: s.user, session: zip(s.tracks[..<p], s.fractions[..<p]).map { ($0, $1) },
                                                        history: h, catalog: catalog)
                    var rng = SeededGenerator(seed: options.seed, stream: UInt64(bitPattern: s.sessionID), UInt64(p))
                    let entries = union.build(context, using: &rng)
                    let target = s.tracks[p]
                    let entry = entries.first { $0.track == target }
                        ?? CandidateUnion.Entry(track: target, ranks: [Int?](repeating: nil, count: generators.count))
                    features.append(entry, summary: features.summary(context), to: &values)
                    labels.append(min(max(s.fractions[p], 0), 1))
                }
                perJob.set(j, (values, labels))
            }
        }
        var matrix = FeatureMatrix(columns: columns)
        var labels: [Float] = []
        for (v, l) in perJob.values {
            matrix.values.append(contentsOf: v)
            labels.append(contentsOf: l)
        }

        try hideAblated(&matrix, names: features.names)
        let booster = try Booster.train(features: matrix, labels: labels, parameters: xgboostParameters(options), rounds: boost.rounds)
        let predictions = try booster.predict(matrix)
        let squared = zip(predictions, labels).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        // The embedded generator models drop their training time, the one field that differs
        // between two runs with the same seed: the same seed then gives the same bytes.
        let embedded = generators.map { g -> (name: String, model: TrainedModel?) in
            var m = g.model
            m?.trainingSeconds = 0
            return (g.name, m)
        }
        let model = RankerModel(featureNames: features.names, k: config.k, generators: embedded, booster: try booster.saved())
        let parameters: [String: Double] = [
            "rounds": Double(boost.rounds), "depth": Double(boost.depth), "eta": boost.eta, "k": Double(config.k),
            "label share": boost.labelShare, "rows": Double(labels.count), "features": Double(columns),
            "seed": Double(options.seed), "rows proposed": Double(Self.proposedRows(matrix, generators: generators.count)),
        ].merging(boost.ablated.map { ("ablated \($0)", 1) }) { a, _ in a }
        return (model.encoded(), parameters, (squared / Double(labels.count)).squareRoot())
    }

    /// Rows whose track some generator proposed (a rank column present): the rest teach the
    /// trees nothing about the generators.
    static func proposedRows(_ matrix: FeatureMatrix, generators: Int) -> Int {
        (0..<matrix.rows).filter { r in (0..<generators).contains { !matrix.values[r * matrix.columns + $0].isNaN } }.count
    }

    /// Sets the ablated groups' columns to missing in every row.
    func hideAblated(_ matrix: inout FeatureMatrix, names: [String]) throws {
        for group in boost.ablated {
            guard let columns = RankerFeatures.columns(of: group, in: names) else {
                throw InputError(field: "--ablate", value: group,
                                 "unknown feature group; valid: \(RankerFeatures.groups.map(\.name).joined(separator: ", "))")
            }
            for r in 0..<matrix.rows { for c in columns { matrix.values[r * matrix.columns + c] = .nan } }
        }
    }

    /// XGBoost's parameters. `hist` builds histograms per thread and sums them, so its
    /// floating-point sums could depend on `nthread`; docs/RANKER.md reports the check
    /// (`RankerTrainingTests`) that the same seed gives the same model bytes at 1 and 2 threads.
    func xgboostParameters(_ options: TrainingOptions) -> [(String, String)] {
        [("objective", "reg:logistic"), ("tree_method", "hist"), ("max_depth", String(boost.depth)),
         ("eta", String(boost.eta)), ("seed", String(options.seed % UInt64(Int32.max))),
         ("nthread", String(options.threads)), ("subsample", "1"), ("verbosity", "0")]
    }
}

/// Results written by index from worker threads, read once every worker has finished.
/// Raw storage, not an array, so that writes to distinct slots are not writes to one value.
final class ParallelSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    /// Each index is written by exactly one worker, and read only after the workers return.
    func set(_ i: Int, _ value: T) { slots[i] = value }
    var values: [T] { (0..<count).map { slots[$0]! } }
}
