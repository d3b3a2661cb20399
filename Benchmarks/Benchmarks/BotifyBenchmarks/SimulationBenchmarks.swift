import Benchmark
import Core
import Foundation
import Recommenders
import Simulator
import Storage

/// The world of the throughput targets: the shipped catalog, 10,000 users, seed 0. Built once
/// per benchmark process, outside the measurement.
private let simulationWorld: World = {
    let catalog = try! CatalogLoader.load(path: CatalogLocator(flag: nil).locate())
    return World.generate(catalog: catalog, config: WorldConfig(seed: 0, users: 10_000))
}()

private func randomPlan(sessions: Int) -> SimulationPlan {
    SimulationPlan(users: 10_000, sessionsPerUser: sessions, seed: 1, threads: 2,
                   arms: [SimulationArm(name: "random", recommender: RandomRecommender())])
}

func registerSimulationBenchmarks() {
    let playsPerSecond = BenchmarkMetric.custom("plays/s", polarity: .prefersLarger, useScalingFactor: false)
    let config = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal, playsPerSecond],
                                         warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)

    Benchmark("Simulate random, 10k users × 10 sessions, 2 threads, no logging", configuration: config) { benchmark in
        let simulator = HeadlessSimulator(world: simulationWorld, plan: randomPlan(sessions: 10))
        benchmark.startMeasurement()
        let result = try simulator.run()
        benchmark.stopMeasurement()
        benchmark.measurement(playsPerSecond, Int(result.playsPerSecond))
    }

    Benchmark("Simulate random, 10k users × 10 sessions, 2 threads, logged to SQLite", configuration: config) { benchmark in
        let path = NSTemporaryDirectory() + "botify-bench-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try BotifyDatabase(path: path)
        let simulator = HeadlessSimulator(world: simulationWorld, plan: randomPlan(sessions: 10))
        benchmark.startMeasurement()
        let writer = BatchSessionWriter(database: database, batchPlays: 100_000)
        let result = try simulator.run(sink: writer)
        try writer.close()
        benchmark.stopMeasurement()
        benchmark.measurement(playsPerSecond, Int(Double(result.plays) / result.seconds))
    }

    Benchmark("World generation (shipped catalog, 10k users, D=32)", configuration: .init(metrics: [.wallClock], maxIterations: 3)) { benchmark in
        let catalog = simulationWorld.catalog
        benchmark.startMeasurement()
        blackHole(World.generate(catalog: catalog, config: WorldConfig(seed: 1, users: 10_000)))
    }
}
