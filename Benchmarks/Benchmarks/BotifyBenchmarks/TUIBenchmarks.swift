import Benchmark
import Core
import Foundation
import Recommenders
import Storage
import Terminal
import TUI

/// The player's budgets on the shipped catalog (issue 5): start-up to first frame ≤ 200 ms,
/// frame render ≤ 2 ms, search per keystroke ≤ 16 ms.
func registerTUIBenchmarks() {
    let catalogPath = (try? CatalogLocator().locate()) ?? "../catalog/tracks.csv"

    func temporaryDatabase() throws -> BotifyDatabase {
        try BotifyDatabase(path: FileManager.default.temporaryDirectory
            .appendingPathComponent("botify-bench-\(UUID().uuidString).sqlite").path)
    }

    func playerState(_ catalog: Catalog, _ db: BotifyDatabase, width: Int = 80, height: Int = 24) -> AppState {
        AppState(catalog: catalog, strategies: RegistryStrategies(registry: .standard, database: db, catalog: catalog),
                 user: 1, source: .human, size: TerminalSize(width: width, height: height), seed: 1, now: 0)
    }

    Benchmark("TUI start-up to first frame (shipped catalog, new database)",
              configuration: .init(metrics: [.wallClock], maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations {
            let catalog = try CatalogLoader.load(path: catalogPath)
            let db = try temporaryDatabase()
            let terminal = HeadlessTerminal(width: 80, height: 24)
            let app = PlayerApp(state: playerState(catalog, db), terminal: terminal, clock: SystemClock(),
                                recorder: try DatabaseRecorder(database: db, catalog: catalog), data: DatabasePlayerData(database: db))
            app.start()
            blackHole(terminal.framesDrawn)
        }
    }

    Benchmark("TUI frame render 80x24 (Now Playing, shipped catalog)",
              configuration: .init(metrics: [.wallClock], maxIterations: 2_000)) { benchmark in
        let catalog = try CatalogLoader.load(path: catalogPath)
        var state = playerState(catalog, try temporaryDatabase())
        for command in [Command.search("queen"), .select, .skip, .skip, .screen(.nowPlaying)] { _ = update(&state, .command(command)) }
        let terminal = HeadlessTerminal(width: 80, height: 24)
        var t = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            t += 0.05
            _ = update(&state, .tick(now: t))
            terminal.draw(AppView.render(state))
        }
    }

    Benchmark("TUI frame render 80x24 (Library, shipped catalog)",
              configuration: .init(metrics: [.wallClock], maxIterations: 2_000)) { benchmark in
        let catalog = try CatalogLoader.load(path: catalogPath)
        var state = playerState(catalog, try temporaryDatabase())
        let terminal = HeadlessTerminal(width: 80, height: 24)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = update(&state, .command(.down(1)))
            terminal.draw(AppView.render(state))
        }
    }

    Benchmark("TUI search per keystroke (shipped catalog, typing 'queen')",
              configuration: .init(metrics: [.wallClock], maxIterations: 2_000)) { benchmark in
        let catalog = try CatalogLoader.load(path: catalogPath)
        var state = playerState(catalog, try temporaryDatabase())
        _ = update(&state, .command(.search("warm the index up")))
        let prefixes = ["q", "qu", "que", "quee", "queen"]
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = update(&state, .command(.search(prefixes[i % prefixes.count])))
            i += 1
            blackHole(state.library.rows.count)
        }
    }
}
