import Benchmark
import Core
import Foundation
import Storage

/// Writing plays: batched (the headless simulator) and one commit per play (the player).
func registerStorageBenchmarks() {
    // 100,000 sessions of 10 plays over 10,000 users, shaped like simulator output.
    let logs: [SessionLog] = (0..<100_000).map { s in
        let plays = (0..<10).map { p in
            Play(position: Int32(p), track: Int32((s * 7 + p * 131) % 26_229), fraction: p == 0 ? 1 : Float((s + p) % 100) / 100,
                 outcome: p == 0 || (s + p) % 3 == 0 ? .listened : .skipped, recommendedBy: p == 0 ? nil : "random",
                 latencyMicros: 3.5)
        }
        return SessionLog(user: Int64(s % 10_000), strategy: "random", source: .sim, experiment: "bench", arm: "control",
                          seed: 1, interestTrack: 5, startedAt: 1_700_000_000, endedAt: 1_700_000_100, plays: plays)
    }

    // One benchmark iteration writes 1,000,000 plays (scaling factor mega), so the throughput
    // column reads directly in M plays/s. Each iteration starts from an empty database.
    Benchmark("Storage: batch write plays",
              configuration: .init(metrics: [.wallClock, .throughput, .cpuTotal], scalingFactor: .mega,
                                   maxDuration: .seconds(10), maxIterations: 5)) { benchmark in
        let directory = try Scratch()
        let db = try BotifyDatabase(path: directory.path + "/bench.sqlite")
        let writer = BatchSessionWriter(database: db, catalogFingerprint: "bench")
        precondition(benchmark.scaledIterations.count == logs.count * 10)
        benchmark.startMeasurement()
        for log in logs { try writer.append(log) }
        try writer.flush()
        benchmark.stopMeasurement()
        try writer.close()
    }

    // One committed play per scaled iteration (1,000 per session): what the player pays when a
    // track ends.
    Benchmark("Storage: interactive per-play commit",
              configuration: .init(metrics: [.wallClock, .throughput, .syscalls], scalingFactor: .kilo,
                                   maxDuration: .seconds(5), maxIterations: 20)) { benchmark in
        let directory = try Scratch()
        let db = try BotifyDatabase(path: directory.path + "/bench.sqlite")
        let writer = InteractiveSessionWriter(database: db)
        _ = try writer.begin(SessionMeta(user: 1, strategy: "random", source: .human, startedAt: 0))
        var position: Int32 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try writer.append(Play(position: position, track: position, fraction: 0.5, outcome: .skipped, recommendedBy: "random"))
            position += 1
        }
        benchmark.stopMeasurement()
        try writer.finish()
    }
}

/// A temporary directory removed at the end of the iteration.
private final class Scratch {
    let path = NSTemporaryDirectory() + "botify-bench-" + UUID().uuidString
    init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
