import Core
import Foundation
import Recommenders

/// The ranker's feature vectors of the picks served, collected while a run plays (issue #17
/// item 2, docs/RANKER.md "Features logged at serving time"): whichever strategy served, the
/// vector is `ranker`'s features for that pick in that context, computed then, so that
/// training reads them instead of recomputing. Vectors are kept per listener until the log
/// writer takes each finished session (a run's sessions of one listener end in order, and
/// different listeners never share a thread's session), so memory follows the sessions not yet
/// written.
public final class ServingFeatureLog: @unchecked Sendable {
    /// Computes the vectors of picks the ranker did not make itself.
    public let ranker: RankerRecommender
    /// `ranker.featureSet.encoded()`: the set the vectors are stored under.
    public let featureSet: [UInt8]
    public var columns: Int { ranker.features.names.count }

    public struct Vector: Sendable, Equatable {
        public var position: Int32
        public var values: [Float]
    }

    // @unchecked: every access to these holds `lock`.
    private let lock = NSLock()
    private var open: [Int64: [Vector]] = [:]
    private var finished: [Int64: [[Vector]]] = [:]

    public init(ranker: RankerRecommender) {
        self.ranker = ranker
        featureSet = ranker.featureSet.encoded()
    }

    func record(user: Int64, position: Int, values: [Float]) {
        lock.withLock { open[user, default: []].append(Vector(position: Int32(position), values: values)) }
    }

    func end(user: Int64) {
        lock.withLock {
            finished[user, default: []].append(open.removeValue(forKey: user) ?? [])
        }
    }

    /// The vectors of `user`'s oldest finished session not yet taken (one per recommended
    /// play, positions 1…), or nil when none is waiting.
    public func take(user: Int64) -> [Vector]? {
        lock.withLock {
            guard var queue = finished[user], !queue.isEmpty else { return nil }
            let first = queue.removeFirst()
            finished[user] = queue.isEmpty ? nil : queue
            return first
        }
    }

    /// Sessions finished and not yet taken (0 once a run's log is written).
    public var waiting: Int { lock.withLock { finished.values.reduce(0) { $0 + $1.count } } }
}

/// Serves as `inner` does and logs the ranker's features of every pick. A ranker serving
/// with the log's own feature set logs the row it scored; any other strategy's pick gets the
/// log's ranker's features, computed from a stream of its own so that logging never changes
/// what is served.
public struct FeatureLoggingRecommender: Recommender {
    public let inner: any Recommender
    public let log: ServingFeatureLog
    private let servingRanker: RankerRecommender?

    public init(_ inner: any Recommender, log: ServingFeatureLog) {
        self.inner = inner
        self.log = log
        let ranker = inner as? RankerRecommender
        servingRanker = ranker.flatMap { $0.featureSet.encoded() == log.featureSet ? $0 : nil }
    }

    public var name: String { inner.name }
    public var summary: String { inner.summary }
    public var readsFractions: Bool { inner.readsFractions }

    /// "features": the stream the logged vectors of other strategies' picks draw from.
    static let streamSeed: UInt64 = 0x6665_6174_7572_6573

    public func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let recommendation: Recommendation
        let values: [Float]
        if let servingRanker {
            (recommendation, values) = servingRanker.serve(context, using: &rng)
        } else {
            recommendation = inner.next(context, using: &rng)
            var own = SeededGenerator(seed: Self.streamSeed, stream: UInt64(bitPattern: context.user), UInt64(context.history.count),
                                      UInt64(context.session.first.map { UInt32(bitPattern: $0.track) } ?? 0), UInt64(context.session.count))
            values = log.ranker.featureRow(for: recommendation.track, in: context, using: &own)
        }
        log.record(user: context.user, position: context.session.count, values: values)
        return recommendation
    }

    public func candidates(_ context: RecommendationContext, k: Int, using rng: inout SeededGenerator) -> [Recommendation] {
        inner.candidates(context, k: k, using: &rng)
    }

    public func sessionEnded(_ context: RecommendationContext) {
        inner.sessionEnded(context)
        log.end(user: context.user)
    }
}
