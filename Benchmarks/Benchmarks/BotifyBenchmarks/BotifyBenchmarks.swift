import Benchmark

// One suite, one file per area; each area registers its benchmarks here.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(3)
    Benchmark.defaultConfiguration.maxIterations = 1_000
    registerCatalogBenchmarks()
    registerRecommenderBenchmarks()
    registerRankerBenchmarks()
    registerStorageBenchmarks()
    registerSimulationBenchmarks()
    registerTUIBenchmarks()
}
