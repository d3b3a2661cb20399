// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between clones.
let botifyPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

// Benchmarks live in their own package so the main build and `swift test` never compile
// ordo-one/benchmark. Run: `cd Benchmarks && swift package benchmark` (see README).
let package = Package(
    name: "botify-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "BotifyBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BotifyKit", package: botifyPackage),
            ],
            path: "Benchmarks/BotifyBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // botify's side of scripts/compare-references (iALS vs implicit, HNSW vs hnswlib).
        .executableTarget(
            name: "BotifyCompare",
            dependencies: [.product(name: "BotifyKit", package: botifyPackage)],
            path: "Sources/BotifyCompare"),
    ]
)
