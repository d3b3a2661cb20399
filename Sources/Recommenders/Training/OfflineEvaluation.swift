import Core

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Which logged sessions are held out for testing.
public enum Holdout: Sendable, Equatable {
    /// Each listener's last session (listeners with one session only train).
    case lastSession
    /// The newest `fraction` of sessions by id (a time split).
    case ratio(Double)
}

/// One strategy's offline scores on held-out plays.
public struct EvaluationResult: Sendable, Equatable, Codable {
    public var strategy: String
    /// Held-out plays scored (well-heard plays at position ≥ 1).
    public var events: Int
    /// Share of events whose track was among the top-k candidates.
    public var hitRate: Double
    public var ndcg: Double
    /// Distinct tracks ever recommended in a top-k list, over the catalog size.
    public var coverage: Double
    /// Mean self-information −log2 p(track) of recommended tracks, p from training listening.
    public var novelty: Double
}

/// Offline evaluation (docs/ARCHITECTURE.md §5, issue 4): train every trainable strategy on the training
/// part of the log, then, for every well-heard held-out play, ask each strategy for its top-k
/// given the session so far and the listener's training history.
public struct OfflineEvaluation: Sendable {
    public var k = 10
    /// A held-out play counts as a positive when at least this much was heard.
    public var positiveFraction: Float = 0.5
    /// Most recent training plays handed to a strategy as the listener's history.
    public var historyLength = 50
    public var options: TrainingOptions
    public var registry: StrategyRegistry

    public init(registry: StrategyRegistry = .standard, options: TrainingOptions = TrainingOptions()) {
        self.registry = registry
        self.options = options
    }

    public static func split(_ sessions: [ListeningSession], holdout: Holdout) -> (train: [ListeningSession], test: [ListeningSession]) {
        let ordered = sessions.sorted { $0.sessionID < $1.sessionID }
        switch holdout {
        case .ratio(let fraction):
            let cut = ordered.count - Int((Double(ordered.count) * min(max(fraction, 0), 1)).rounded())
            return (Array(ordered[..<cut]), Array(ordered[cut...]))
        case .lastSession:
            var last: [Int64: Int64] = [:]
            var count: [Int64: Int] = [:]
            for s in ordered { last[s.user] = s.sessionID; count[s.user, default: 0] += 1 }
            var train: [ListeningSession] = [], test: [ListeningSession] = []
            for s in ordered {
                if count[s.user]! > 1 && last[s.user] == s.sessionID { test.append(s) } else { train.append(s) }
            }
            return (train, test)
        }
    }

    public func evaluate(_ strategies: [String], catalog: Catalog, sessions: [ListeningSession], holdout: Holdout,
                         seed: UInt64 = 42) throws -> [EvaluationResult] {
        let (train, test) = Self.split(sessions, holdout: holdout)
        guard !train.isEmpty else { throw InputError(field: "holdout", "no sessions left to train on; log more sessions") }
        guard !test.isEmpty else {
            throw InputError(field: "holdout", "no held-out sessions (with --holdout last, listeners need two sessions or more)")
        }
        let chosen = try strategies.map { try registry.strategy(named: $0) }
        var models: [String: TrainedModel] = [:]
        for s in chosen where models[s.modelName] == nil {
            // A strategy sharing another's model (i2i-fresh) gets that strategy's model, trained once.
            let owner = s.sharesModelOf == nil ? s : try registry.strategy(named: s.modelName)
            if let trainer = owner.trainer { models[owner.name] = try trainer.train(train, catalog: catalog, options: options) }
        }
        return try evaluate(chosen, models: models, catalog: catalog, train: train, test: test, seed: seed)
    }

    /// Scores `strategies` served from `models` (trained on `train` by the caller, e.g. warm-started
    /// ones) on every well-heard play of `test`.
    public func evaluate(_ strategies: [Strategy], models: [String: TrainedModel], catalog: Catalog,
                         train: [ListeningSession], test: [ListeningSession], seed: UInt64 = 42) throws -> [EvaluationResult] {
        let chosen = strategies
        let inputs = StrategyInputs(catalog: catalog, models: models)

        var listened = Array(repeating: 0.0, count: catalog.count)
        var total = 0.0
        var history: [Int64: [(track: TrackID, fraction: Float)]] = [:]
        for s in train {
            for (t, f) in zip(s.tracks, s.fractions) {
                listened[Int(t)] += Double(f)
                total += Double(f)
                history[s.user, default: []].append((t, f))
            }
        }
        let denominator = total + Double(catalog.count)
        func selfInformation(_ t: TrackID) -> Double { -log2((listened[Int(t)] + 1) / denominator) }

        return try chosen.map { strategy in
            let rec = try strategy.make(inputs)
            var events = 0, hits = 0.0, gain = 0.0, novelty = 0.0, shown = 0
            var covered = Array(repeating: false, count: catalog.count)
            for s in test {
                let past = Array((history[s.user] ?? []).suffix(historyLength))
                for p in 1..<max(1, s.tracks.count) where s.fractions[p] >= positiveFraction {
                    let session = (0..<p).map { (track: s.tracks[$0], fraction: s.fractions[$0]) }
                    let context = RecommendationContext(user: s.user, session: session, history: past, catalog: catalog)
                    var rng = SeededGenerator(seed: seed, stream: UInt64(bitPattern: s.sessionID), UInt64(p))
                    let top = rec.candidates(context, k: k, using: &rng)
                    events += 1
                    if let rank = top.firstIndex(where: { $0.track == s.tracks[p] }) {
                        hits += 1
                        gain += 1 / log2(Double(rank) + 2)
                    }
                    for r in top {
                        covered[Int(r.track)] = true
                        novelty += selfInformation(r.track)
                        shown += 1
                    }
                }
            }
            let n = Double(max(events, 1))
            return EvaluationResult(strategy: strategy.name, events: events, hitRate: hits / n, ndcg: gain / n,
                                    coverage: Double(covered.filter { $0 }.count) / Double(catalog.count),
                                    novelty: shown > 0 ? novelty / Double(shown) : 0)
        }
    }
}
