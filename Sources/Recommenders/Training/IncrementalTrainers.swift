import Core
import Foundation

/// Trainers for nightly retraining over a log that only grows (a multi-day run): each keeps
/// what it learned from the sessions it has seen and, given the whole log again, works only on
/// the sessions after them. Given a log that is not the last one plus new sessions (edited,
/// shrunk, reordered), they start over from scratch, so they are never wrong about their input.
/// One instance serves one run on one thread at a time (a lock guards it all the same).

/// `i2i`'s co-listening counts, updated with the new sessions instead of recounted: the same
/// model as `I2ITrainer`, bit for bit (every sum is taken in the same session order).
public final class IncrementalI2ITrainer: Trainer, @unchecked Sendable {
    // @unchecked: every access to the counts holds `lock`.
    public let strategy = I2IRecommender.strategyName
    public let base: I2ITrainer
    private let lock = NSLock()
    private var mass: [Float] = []
    private var pairs: [UInt64: Float] = [:]
    private var seen = LogPrefix()

    public init(_ base: I2ITrainer = I2ITrainer()) {
        self.base = base
    }

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        lock.withLock {
            let start = seen.newSessions(in: sessions, tracks: catalog.count, known: mass.count)
            if start == 0 {
                mass = Array(repeating: 0, count: catalog.count)
                pairs = [:]
            }
            base.count(sessions[start...], mass: &mass, pairs: &pairs)
            seen = LogPrefix(sessions)
            let table = NeighbourTable(trackCount: catalog.count, pairs: base.cosine(pairs, mass: mass), keep: base.keep)
            return (table.encoded(), base.parameters, nil)
        }
    }
}

/// `als` warm-started from the factors of its previous fit: users and tracks it has seen keep
/// their factors and new users start from a seeded small random row, then `warmIterations`
/// sweeps run instead of `options.iterations`. The first fit (and any fit that must start
/// over) is `ALSTrainer`'s from scratch. An approximation of a fit from scratch:
/// docs/LONG-TERM.md measures how close (the loss, recall and NDCG beside the cold fit's).
public final class WarmStartALSTrainer: Trainer, @unchecked Sendable {
    // @unchecked: every access to the factors holds `lock`.
    public let strategy = ALSRecommender.strategyName
    public let base: ALSTrainer
    public let warmIterations: Int
    private let lock = NSLock()
    private var userRows: [Int64: Int] = [:]
    private var userFactors: [Float] = []
    private var itemFactors: [Float] = []
    private var fittedWith: TrainingOptions?
    private var seen = LogPrefix()

    public init(_ base: ALSTrainer = ALSTrainer(), warmIterations: Int = 3) {
        precondition(warmIterations >= 0, "warm iterations must be non-negative")
        self.base = base
        self.warmIterations = warmIterations
    }

    public func fit(_ sessions: [ListeningSession], catalog: Catalog, options o: TrainingOptions) throws
        -> (payload: [UInt8], parameters: [String: Double], loss: Double?) {
        try ALSTrainer.check(o)
        return lock.withLock {
            let (userIDs, matrix) = ALSTrainer.matrix(sessions, catalog: catalog)
            let k = o.factors
            let continues = fittedWith == o && itemFactors.count == catalog.count * k
                && seen.newSessions(in: sessions, tracks: catalog.count, known: catalog.count) > 0
            var ials: IALS
            var parameters = ALSTrainer.parameters(o)
            if continues {
                var users = [Float](repeating: 0, count: userIDs.count * k)
                for (row, id) in userIDs.enumerated() {
                    if let old = userRows[id] {
                        for j in 0..<k { users[row * k + j] = userFactors[old * k + j] }
                    } else {
                        var rng = SeededGenerator(seed: o.seed, stream: 0x5741_524D, UInt64(bitPattern: id))  // "WARM"
                        for j in 0..<k { users[row * k + j] = Float(rng.nextUnit()) * 0.01 }
                    }
                }
                parameters.iterations = warmIterations
                ials = IALS(parameters: parameters, userFactors: users, itemFactors: itemFactors)
                let itemUsers = matrix.transposed()
                for _ in 0..<warmIterations { ials.iterate(userItems: matrix, itemUsers: itemUsers) }
            } else {
                ials = IALS.train(matrix, parameters: parameters)
            }
            userRows = Dictionary(uniqueKeysWithValues: userIDs.enumerated().map { ($1, $0) })
            userFactors = ials.userFactors
            itemFactors = ials.itemFactors
            fittedWith = o
            seen = LogPrefix(sessions)
            var fit = base.fitted(ials, matrix: matrix, users: userIDs.count, options: o)
            fit.parameters["warm_start"] = continues ? 1 : 0
            fit.parameters["iterations"] = Double(continues ? warmIterations : o.iterations)
            return fit
        }
    }
}

/// What an incremental trainer has already seen of a log: its length and a digest of it.
struct LogPrefix: Equatable {
    var count = 0
    var digest: UInt64 = 0

    init() {}

    init(_ sessions: [ListeningSession]) {
        count = sessions.count
        digest = Self.digest(sessions[...])
    }

    /// The index in `sessions` of the first session not seen yet: 0 (start over) unless the
    /// log begins with exactly what was seen, on the same catalog size (`known` the size the
    /// state was built for).
    func newSessions(in sessions: [ListeningSession], tracks: Int, known: Int) -> Int {
        guard count > 0, known == tracks, sessions.count >= count,
              Self.digest(sessions[..<count]) == digest else { return 0 }
        return count
    }

    /// A digest of every session id, user, track and fraction, in order.
    static func digest(_ sessions: ArraySlice<ListeningSession>) -> UInt64 {
        var h = StableHash()
        for s in sessions {
            h.combine(s.sessionID)
            h.combine(s.user)
            for (t, f) in zip(s.tracks, s.fractions) {
                h.combine(Int64(t))
                h.combine(Int64(f.bitPattern))
            }
        }
        return h.value
    }
}
