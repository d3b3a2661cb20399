// swift-tools-version: 6.1
import PackageDescription

// Module map (docs/ARCHITECTURE.md §1), as the imports are today; nothing points back up.
//   botify      → TUI, Experiments, Simulator, Storage, Ranking, Recommenders, Terminal, Core
//   TUI         → Experiments, Simulator, Storage, Recommenders, Terminal, Core
//                 (its update/state/views need only Core, Recommenders and Terminal; its
//                 database and bot adapters pull in the rest — issue #14 moves them out)
//   Experiments → Simulator, Storage, Recommenders, Core
//   Simulator   → Ranking, Recommenders, Core
//   Ranking     → CXGBoost (the only module that touches XGBoost), Recommenders, Core
//   Storage → Core, GRDB · Recommenders → CVectorKernels (C: AVX2/FMA picked at run time), Core
//   Terminal → CNcursesw (the only module that touches ncurses)
// Recommenders and Simulator never see Storage: they read logs through Core's
// `InteractionSource`, write them through Core's `SessionSink`, and keep models through Core's
// `ModelRepository` (Recommenders' `ModelService` trains, encodes and loads them); Storage's
// `BotifyDatabase` and `BatchSessionWriter` implement those protocols.
let package = Package(
    name: "botify",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "botify", targets: ["botify"]),
        .library(name: "BotifyKit", targets: ["Core", "Storage", "Recommenders", "Ranking", "Simulator", "Experiments", "TUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        .target(name: "Core"),
        .target(name: "Storage", dependencies: [
            "Core",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The batch writer binds plays through the C API (the ≥1M plays/s path).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // C because Swift cannot compile one function for AVX2 and keep the rest baseline x86-64.
        .target(name: "CVectorKernels"),
        .target(name: "Recommenders", dependencies: [
            "Core", "CVectorKernels",
        ]),
        // The two-stage ranker (issue #17): generators from Recommenders, trees from XGBoost's C API.
        .systemLibrary(name: "CXGBoost", pkgConfig: "xgboost",
                       providers: [.apt(["libxgboost-dev"])]),
        .target(name: "Ranking", dependencies: ["Core", "Recommenders", "CXGBoost"]),
        .target(name: "Simulator", dependencies: ["Core", "Recommenders", "Ranking"]),
        .target(name: "Experiments", dependencies: ["Core", "Recommenders", "Simulator", "Storage"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "Terminal", dependencies: ["CNcursesw"]),
        .target(name: "TUI", dependencies: [
            "Core", "Storage", "Recommenders", "Simulator", "Experiments", "Terminal",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "botify", dependencies: [
            "Core", "Storage", "Recommenders", "Ranking", "Simulator", "Experiments", "TUI", "Terminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CoreTests", dependencies: ["Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Core", "Storage"], exclude: ["make-fixtures.sh"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecommendersTests", dependencies: ["Core", "Recommenders", "CVectorKernels", "Ranking"]),
        .testTarget(name: "RankingTests", dependencies: ["Core", "Recommenders", "Ranking", "CXGBoost"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Core", "Recommenders", "Simulator"],
                    exclude: ["make-float16-fixture.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Core", "Recommenders", "Simulator", "Storage", "Experiments"]),
        .testTarget(name: "TUITests", dependencies: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "Terminal"],
                    resources: [.copy("__Snapshots__")]),
        // Runs the real binary (argument errors, exit codes, the tmux end-to-end script).
        .testTarget(name: "BotifyCLITests", dependencies: ["botify", "Core", "Storage"]),
    ]
)
