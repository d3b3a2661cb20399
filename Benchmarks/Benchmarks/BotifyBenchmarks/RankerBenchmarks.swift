import Benchmark
import Core
import Ranking
import Recommenders

/// The ranker's `next()` on the 26k fixture catalog (RecommenderBenchmarks' synthetic log), by
/// stage: the wall clock is the whole pick, the custom metrics the nanoseconds of each stage of
/// the same pick (the stages `eval --ranker-stages` and the player's Strategies screen show).
func registerRankerBenchmarks() {
    let stages = StageClock.stageNames.map { BenchmarkMetric.custom("\($0) ns") }
    let latency = Benchmark.Configuration(metrics: [.wallClock] + stages, timeUnits: .microseconds, warmupIterations: 50,
                                          maxDuration: .seconds(5), maxIterations: 20_000)
    nonisolated(unsafe) var trained: (RankerRecommender, [RecommendationContext])?
    // Trained once per process on the fixture's first 4,000 sessions (its generators on the
    // older 70%, its rows from the newest 30%), with the default trees (100 rounds, depth 6).
    func ranker() -> (RankerRecommender, [RecommendationContext]) {
        if let trained { return trained }
        let f = RecommenderFixture(tracks: 26_229)
        let sessions = Array(f.sessions.prefix(4_000))
        let model = try! RankerTrainer(config: RankerConfig(), boost: BoostParameters())
            .train(sessions, catalog: f.catalog, options: TrainingOptions(factors: 32, iterations: 10, threads: 2))
        let r = try! RankerStrategy.make(StrategyInputs(index: f.index, models: [RankerStrategy.name: model]), config: RankerConfig())
        trained = (r, f.contexts)
        return trained!
    }
    for (label, explains) in [("player, with why-line", true), ("headless", false)] {
        var rng = SeededGenerator(seed: 1)
        var i = 0
        Benchmark("ranker next() by stage 26k (\(label))", configuration: latency) { benchmark in
            let (r, contexts) = ranker()
            var context = contexts[i % contexts.count]
            context.explains = explains
            i += 1
            var clock = StageClock()
            benchmark.startMeasurement()
            blackHole(r.next(context, using: &rng, clock: &clock))
            benchmark.stopMeasurement()
            for (metric, ns) in zip(stages, clock.values) { benchmark.measurement(metric, Int(ns)) }
        }
    }
}
