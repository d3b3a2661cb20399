import Benchmark
import Core
import Foundation

/// Files the catalog benchmarks read: the shipped CSV and a 1,000,000-track synthetic catalog
/// (seed 1) written once per process as .botcat and as CSV, so the two formats are compared
/// on the same rows.
enum CatalogBenchmarkFiles {
    static let shipped = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("catalog/tracks.csv").path

    static let million: (botcat: String, csv: String) = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("botify-bench-\(getpid())")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let catalog = CatalogSynthesizer(tracks: 1_000_000, seed: 1).generate()
        let files = (dir.appendingPathComponent("synth-1m.botcat").path, dir.appendingPathComponent("synth-1m.csv").path)
        try! BinaryCatalog.write(catalog, to: files.0)
        try! CatalogCSVWriter.write(catalog, to: files.1)
        return files
    }()
}

func registerCatalogBenchmarks() {
    let ms = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds)

    Benchmark("Catalog load: shipped CSV (26,229 tracks)", configuration: ms) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try CatalogLoader.load(path: CatalogBenchmarkFiles.shipped))
        }
    }

    Benchmark("Catalog load: synthetic 1M .botcat", configuration: ms) { benchmark in
        let path = CatalogBenchmarkFiles.million.botcat
        benchmark.startMeasurement()
        blackHole(try CatalogLoader.load(path: path))
    }

    Benchmark("Catalog load: synthetic 1M CSV", configuration: .init(
        metrics: [.wallClock, .cpuTotal], timeUnits: .milliseconds, maxDuration: .seconds(10), maxIterations: 3)) { benchmark in
        let path = CatalogBenchmarkFiles.million.csv
        benchmark.startMeasurement()
        blackHole(try CatalogLoader.load(path: path))
    }

    // A mix of queries a person types in the library: single letters, words, accents, two words, no match.
    let queries = ["a", "lo", "love", "beyonce", "cafe", "the night", "remix", "ed sheeran perfect", "zzqx", "été"]
    Benchmark("Catalog search: one query over the shipped catalog",
              configuration: .init(metrics: [.wallClock, .cpuTotal], timeUnits: .microseconds)) { benchmark in
        let search = CatalogSearch(catalog: try CatalogLoader.load(path: CatalogBenchmarkFiles.shipped))
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            blackHole(search.search(queries[i % queries.count], limit: 200))
        }
    }

    Benchmark("Catalog search: index build over the shipped catalog", configuration: ms) { benchmark in
        let catalog = try CatalogLoader.load(path: CatalogBenchmarkFiles.shipped)
        benchmark.startMeasurement()
        blackHole(CatalogSearch(catalog: catalog))
    }
}
