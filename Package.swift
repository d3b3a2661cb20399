// swift-tools-version: 6.1
import PackageDescription

// Module map (docs/ARCHITECTURE.md §1): each target's imports, exactly; nothing points back up.
//   botify       → PlayerWiring, TUI, Experiments, Simulator, Storage, Recommenders, Terminal, Core
//   PlayerWiring → TUI, Experiments, Simulator, Storage, Recommenders, Core (the player's adapters:
//                  RegistryStrategies, DatabaseRecorder, DatabasePlayerData, SimulatedBot)
//   TUI          → Recommenders, Terminal, Core, TOMLKit (state, update, views, the runner; the
//                  database, registry and bot reach it only through protocols it defines)
//   Experiments  → Simulator, Storage, Recommenders, Core
//   Simulator    → Recommenders, Core
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
        .library(name: "BotifyKit", targets: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "PlayerWiring"]),
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
        .target(name: "Simulator", dependencies: ["Core", "Recommenders"]),
        .target(name: "Experiments", dependencies: ["Core", "Recommenders", "Simulator", "Storage"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "Terminal", dependencies: ["CNcursesw"]),
        .target(name: "TUI", dependencies: [
            "Core", "Recommenders", "Terminal",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The layer that wires the player to the database, the registry and the simulated world.
        .target(name: "PlayerWiring", dependencies: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI"]),
        .executableTarget(name: "botify", dependencies: [
            "Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "PlayerWiring", "Terminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CoreTests", dependencies: ["Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Core", "Storage"], exclude: ["make-fixtures.sh"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecommendersTests", dependencies: ["Core", "Recommenders", "CVectorKernels"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Core", "Recommenders", "Simulator"],
                    exclude: ["make-float16-fixture.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Core", "Recommenders", "Simulator", "Storage", "Experiments"]),
        .testTarget(name: "TUITests", dependencies: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "PlayerWiring", "Terminal"],
                    resources: [.copy("__Snapshots__")]),
        // Runs the real binary (argument errors, exit codes, the tmux end-to-end script).
        .testTarget(name: "BotifyCLITests", dependencies: ["botify", "Core", "Storage"]),
    ]
)
