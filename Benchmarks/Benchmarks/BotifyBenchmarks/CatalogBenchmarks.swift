import Benchmark
import Core

func registerCatalogBenchmarks() {
    Benchmark("Catalog fingerprint (synthetic 1k rows)") { benchmark in
        let n = 1_000
        let catalog = Catalog(source: "bench", titles: (0..<n).map { "t\($0)" }, albums: Array(repeating: "", count: n),
                              artistNames: ["a"], artistOfTrack: Array(repeating: 0, count: n),
                              years: Array(repeating: 0, count: n), durations: Array(repeating: 200, count: n),
                              popularity: Array(repeating: 1, count: n), genreNames: [], genreOffsets: Array(repeating: 0, count: n + 1),
                              genreIDs: [], subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: n + 1),
                              subgenreIDs: [], features: [])
        benchmark.startMeasurement()
        blackHole(catalog.fingerprint)
    }
}
