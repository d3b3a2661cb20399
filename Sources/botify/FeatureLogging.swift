import Core
import Foundation
import Ranking
import Recommenders
import Simulator
import Storage

/// Writes the vectors of a `ServingFeatureLog` beside the plays they describe (`--log-features`):
/// each session's vectors are taken when the session is appended to the log writer, and
/// written, under their session's id, once the batch holding it has committed (on the writer
/// thread, so the two writers never contend for the database).
final class LoggedFeatureWriter: @unchecked Sendable {
    let log: ServingFeatureLog
    let store: RankerFeatureStore
    let setID: Int64

    // @unchecked: `pending`, `failure` and `rows` are touched under `lock` only.
    private let lock = NSLock()
    private var pending: [Int: [ServingFeatureLog.Vector]] = [:]
    private var failure: (any Error)?
    private(set) var rowsWritten = 0
    /// Append order, as the session writer counts it (one producer: the simulator's thread).
    private var sequence = 0

    init(log: ServingFeatureLog, database: BotifyDatabase, catalog: Catalog) throws {
        self.log = log
        store = database.rankerFeatures
        setID = try store.register(payload: log.featureSet, columns: log.columns, catalogFingerprint: catalog.fingerprint,
                                   at: Date().timeIntervalSince1970)
    }

    /// Called before the session goes to the writer, whose commit may follow at once.
    func appending(_ session: SessionLog) {
        let vectors = log.take(user: session.user)
        let s = sequence
        sequence += 1
        // A session served by an arm that logs nothing (oracle) has no vectors.
        guard let vectors, vectors.count == session.plays.count - 1 else { return }
        lock.withLock { pending[s] = vectors }
    }

    /// The writer thread, after a batch's COMMIT.
    func committed(_ commit: BatchCommit) {
        var rows: [LoggedFeatureRow] = []
        lock.withLock {
            for (offset, s) in commit.sequence.enumerated() {
                guard let vectors = pending.removeValue(forKey: s) else { continue }
                let id = commit.sessionIDs.lowerBound + Int64(offset)
                for v in vectors { rows.append(LoggedFeatureRow(sessionID: id, position: v.position, values: v.values)) }
            }
        }
        do {
            try store.write(rows, set: setID)
            lock.withLock { rowsWritten += rows.count }
        } catch {
            lock.withLock { if failure == nil { failure = error } }
        }
    }

    /// After the session writer closed: every session's vectors written, or the error.
    func finish() throws {
        try lock.withLock {
            if let failure { throw failure }
            guard pending.isEmpty else {
                throw InputError(field: "--log-features", "\(pending.count) sessions' feature vectors were never written")
            }
        }
    }

    func sink(wrapping writer: BatchSessionWriter) -> any SessionSink { Sink(writer: writer, features: self) }

    private final class Sink: SessionSink {
        let writer: BatchSessionWriter
        let features: LoggedFeatureWriter
        init(writer: BatchSessionWriter, features: LoggedFeatureWriter) {
            self.writer = writer
            self.features = features
        }
        func append(_ log: SessionLog) throws -> Int {
            features.appending(log)
            return try writer.append(log)
        }
        func flush() throws { try writer.flush() }
    }
}

enum FeatureLogging {
    /// The log of a run's day: the ranker as the database's models make it (trained or not)
    /// computes the vectors; every arm but a listener-aware one (oracle) logs them.
    static func wrap(_ recommenders: [any Recommender], world: World, database: BotifyDatabase) throws
        -> (recommenders: [any Recommender], log: ServingFeatureLog) {
        let registry = StrategyRegistry.withRanker()
        let models = try ModelService(store: database).models(registry.trainableNames, catalogFingerprint: world.catalog.fingerprint)
        let ranker = try RankerStrategy.make(StrategyInputs(catalog: world.catalog, models: models), config: RankerConfig())
        let log = ServingFeatureLog(ranker: ranker)
        let wrapped = recommenders.map { r -> any Recommender in
            r is any ListenerAwareRecommender ? r : FeatureLoggingRecommender(r, log: log)
        }
        return (wrapped, log)
    }

    /// The newest feature set with rows for this catalog, read for training; nil when nothing
    /// was logged.
    static func newestRows(_ database: BotifyDatabase, catalog: Catalog) throws -> (set: LoggedFeatureSet, rows: LoggedRankerRows)? {
        guard let set = try database.rankerFeatures.sets(catalogFingerprint: catalog.fingerprint).last(where: { $0.rows > 0 }) else {
            return nil
        }
        let featureSet = try RankerModel(bytes: set.payload, what: "ranker feature set #\(set.id) in \(database.path)")
        let rows = try database.rankerFeatures.rows(set: set)
        return (set, LoggedRankerRows(featureSet: featureSet, rows: rows))
    }
}
