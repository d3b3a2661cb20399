// swift-tools-version: 6.1
import PackageDescription

// Module map (docs/ARCHITECTURE.md §1): each target's imports, exactly; nothing points back up.
//   botify       → PlayerWiring, TUI, Server, Experiments, Simulator, Storage, RemoteStrategies, Ranking, Recommenders, Terminal, Core
//   PlayerWiring → TUI, Experiments, Simulator, Storage, Recommenders, Core (the player's adapters:
//                  RegistryStrategies, DatabaseRecorder, DatabasePlayerData, SimulatedBot)
//   Server       → Experiments, Storage, Recommenders, Core, Hummingbird, HummingbirdCore, NIOCore, NIOPosix (`botify serve`)
//   RemoteStrategies → Recommenders, Core, AsyncHTTPClient (SwiftNIO stays out of the rest)
//   TUI          → Recommenders, Terminal, Core, TOMLKit (state, update, views, the runner; the
//                  database, registry and bot reach it only through protocols it defines)
//   Experiments  → Simulator, Recommenders, Core (it plans A/B runs and reports from plain
//                  values; the callers read stored sessions through Storage)
//   Simulator    → Ranking, Recommenders, CVectorKernels (exact neighbour scores, .npy float16), Core
//   Ranking      → CXGBoost (the only module that touches XGBoost), Recommenders, Core
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
        .library(name: "BotifyKit", targets: ["Core", "Storage", "Recommenders", "Ranking", "Simulator", "Experiments", "TUI", "PlayerWiring"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        // async-http-client's own requirement (it resolves to 2.101.x offline); named here only
        // because RemoteStrategies imports NIOCore/NIOHTTP1 types (deadlines, buffers, headers).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.100.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .target(name: "Core"),
        .target(name: "Storage", dependencies: [
            "Core",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SessionStatements binds sessions and plays through the C API (the batch writer's
            // ≥1M plays/s path; the player's writer shares it); every reader is a GRDB record.
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
        .target(name: "Simulator", dependencies: ["Core", "Recommenders", "Ranking", "CVectorKernels"]),
        .target(name: "Experiments", dependencies: ["Core", "Recommenders", "Simulator"]),
        // Remote recommenders (`--strategy http://…`) over HTTP: its own module so Recommenders
        // and everything below stay free of SwiftNIO.
        .target(name: "RemoteStrategies", dependencies: [
            "Core", "Recommenders",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // `botify serve`: the course's recommender protocol over HTTP (Hummingbird).
        .target(name: "Server", dependencies: [
            "Core", "Recommenders", "Storage", "Experiments",
            .product(name: "Hummingbird", package: "hummingbird"),
            // HTTP1Channel, to run each connection on its own event loop (EventLoopPinnedHTTP1).
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
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
            "Core", "Storage", "Recommenders", "Ranking", "Simulator", "Experiments", "TUI", "PlayerWiring", "Terminal", "RemoteStrategies", "Server",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "StorageTests", dependencies: ["Core", "Storage"], exclude: ["make-fixtures.sh"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecommendersTests", dependencies: ["Core", "Recommenders", "CVectorKernels", "Ranking"]),
        .testTarget(name: "RankingTests", dependencies: ["Core", "Recommenders", "Ranking", "CXGBoost"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Core", "Recommenders", "Simulator", "CVectorKernels"],
                    exclude: ["make-float16-fixture.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Core", "Recommenders", "Simulator", "Storage", "Experiments"]),
        .testTarget(name: "TUITests", dependencies: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "PlayerWiring", "Terminal"],
                    resources: [.copy("__Snapshots__")]),
        // Runs the real binary (argument errors, exit codes, the tmux end-to-end script).
        .testTarget(name: "BotifyCLITests", dependencies: ["botify", "Core", "Storage"]),
        .testTarget(name: "ServerTests", dependencies: ["Core", "Recommenders", "Storage", "Experiments", "Server"]),
    ]
)
