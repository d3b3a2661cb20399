import Core
import Testing
@testable import Recommenders

/// Nightly retraining that reuses the previous night (`IncrementalTrainers.swift`).
@Suite("Incremental retraining")
struct IncrementalTrainingTests {
    static let catalog = makeCatalog(count: 200, artists: 20)
    /// A log that grows over `days` "nights": 80 sessions a day, ids in order.
    static func nights(_ days: Int) -> [[ListeningSession]] {
        let all = groupedSessions(catalog: catalog, groups: 4, sessions: 80 * days, seed: 11)
        return (1...days).map { Array(all.prefix(80 * $0)) }
    }

    @Test("i2i updated night after night is the recount, byte for byte; an edited log starts over")
    func i2iIncrementalIsTheRecount() throws {
        let incremental = IncrementalI2ITrainer()
        let options = TrainingOptions(threads: 1)
        for log in Self.nights(5) {
            let updated = try incremental.fit(log, catalog: Self.catalog, options: options)
            let recount = try I2ITrainer().fit(log, catalog: Self.catalog, options: options)
            #expect(updated.payload == recount.payload)
            #expect(updated.parameters == recount.parameters)
        }
        // The log loses its first session: the counts of the old prefix no longer apply.
        let edited = Array(Self.nights(5)[4].dropFirst())
        #expect(try incremental.fit(edited, catalog: Self.catalog, options: options).payload
                == I2ITrainer().fit(edited, catalog: Self.catalog, options: options).payload)
    }

    @Test("als warm-started with 3 sweeps a night stays close to a cold fit of 15 (loss, hit rate, NDCG)")
    func alsWarmStartIsCloseToCold() throws {
        let options = TrainingOptions(factors: 8, iterations: 15, alpha: 5, regularization: 0.1, seed: 1, threads: 1)
        let warm = WarmStartALSTrainer(ALSTrainer(annThreshold: 1_000_000), warmIterations: 3)
        let cold = ALSTrainer(annThreshold: 1_000_000)
        let nights = Self.nights(6)
        var last: (warm: TrainedModel, cold: TrainedModel)?
        // Five nights on the growing log, then the sixth on all but each listener's last session
        // (every listener comes on day 6, so the first five days are still the log's beginning).
        let split = OfflineEvaluation.split(nights[5], holdout: .lastSession)
        for (night, log) in (nights.prefix(5) + [split.train]).enumerated() {
            let model = try warm.train(log, catalog: Self.catalog, options: options)
            #expect(model.parameters["warm_start"] == (night == 0 ? 0 : 1))
            #expect(model.parameters["iterations"] == (night == 0 ? 15 : 3))
            if night == 5 { last = (model, try cold.train(log, catalog: Self.catalog, options: options)) }
        }
        let (w, c) = try #require(last)
        let wLoss = try #require(w.loss), cLoss = try #require(c.loss)
        #expect(wLoss <= cLoss * 1.05, "warm loss \(wLoss) vs cold \(cLoss)")
        let als = try StrategyRegistry.standard.strategy(named: ALSRecommender.strategyName)
        let evaluation = OfflineEvaluation(options: options)
        let warmResult = try evaluation.evaluate([als], models: [als.name: w], catalog: Self.catalog,
                                                 train: split.train, test: split.test)[0]
        let coldResult = try evaluation.evaluate([als], models: [als.name: c], catalog: Self.catalog,
                                                 train: split.train, test: split.test)[0]
        #expect(warmResult.events > 100 && warmResult.events == coldResult.events)
        #expect(warmResult.hitRate >= coldResult.hitRate * 0.9, "warm \(warmResult) cold \(coldResult)")
        #expect(warmResult.ndcg >= coldResult.ndcg * 0.9, "warm \(warmResult) cold \(coldResult)")
        print("warm-start als: loss \(wLoss) vs cold \(cLoss); hit rate@10 \(warmResult.hitRate) vs \(coldResult.hitRate); NDCG@10 \(warmResult.ndcg) vs \(coldResult.ndcg)")
    }

    @Test("als warm start depends only on the logs it was given, not on the thread count")
    func alsWarmStartIsDeterministic() throws {
        func run(threads: Int) throws -> [[UInt8]] {
            let warm = WarmStartALSTrainer(ALSTrainer(annThreshold: 1_000_000), warmIterations: 2)
            let options = TrainingOptions(factors: 8, iterations: 5, seed: 3, threads: threads)
            return try Self.nights(3).map { try warm.fit($0, catalog: Self.catalog, options: options).payload }
        }
        #expect(try run(threads: 1) == run(threads: 2))
    }
}
