// swift-tools-version: 6.1
import PackageDescription

// Module map (DESIGN.md §2). Dependencies point one way, top to bottom:
//   botify → TUI → Terminal → CNcursesw
//          → Experiments → Simulator → Recommenders → Core
//                                    → Storage → Core
//   Recommenders → CVectorKernels (C: AVX2/FMA kernels picked at run time, portable fallback)
// Recommenders never see Storage: they read logs through Core's `InteractionSource`.
let package = Package(
    name: "botify",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "botify", targets: ["botify"]),
        .library(name: "BotifyKit", targets: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        .target(name: "Core", dependencies: [
            .product(name: "Collections", package: "swift-collections"),
        ]),
        .target(name: "Storage", dependencies: [
            "Core",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The batch writer binds plays through the C API (the ≥1M plays/s path).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // C because Swift cannot compile one function for AVX2 and keep the rest baseline x86-64.
        .target(name: "CVectorKernels"),
        .target(name: "Recommenders", dependencies: [
            "Core", "CVectorKernels",
            .product(name: "Collections", package: "swift-collections"),
        ]),
        .target(name: "Simulator", dependencies: ["Core", "Recommenders", "Storage"]),
        .target(name: "Experiments", dependencies: ["Core", "Recommenders", "Simulator", "Storage"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "Terminal", dependencies: ["CNcursesw"]),
        .target(name: "TUI", dependencies: [
            "Core", "Storage", "Recommenders", "Simulator", "Experiments", "Terminal",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "botify", dependencies: [
            "Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CoreTests", dependencies: ["Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Core", "Storage"], exclude: ["make-fixtures.sh"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RecommendersTests", dependencies: ["Core", "Recommenders", "CVectorKernels"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Core", "Recommenders", "Simulator", "Storage"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Core", "Recommenders", "Simulator", "Storage", "Experiments"]),
        .testTarget(name: "TUITests", dependencies: ["Core", "Storage", "Recommenders", "Simulator", "Experiments", "TUI", "Terminal"],
                    resources: [.copy("__Snapshots__")]),
        // Runs the real binary (argument errors, exit codes, the tmux end-to-end script).
        .testTarget(name: "BotifyCLITests", dependencies: ["botify", "Core", "Storage"]),
    ]
)
