import Benchmark
import Core
import Foundation
import PlayerWiring
import Recommenders
import Storage
import Terminal
import TUI

/// The player's budgets on the shipped catalog (issue 5): start-up to first frame ≤ 200 ms,
/// frame render ≤ 2 ms, search per keystroke ≤ 16 ms.
private let tuiCatalogPath = (try? CatalogLocator().locate()) ?? "../catalog/tracks.csv"
/// Loaded once (lazily) for the per-frame and per-keystroke benchmarks, which measure only the frame.
private let tuiCatalog = try! CatalogLoader.load(path: tuiCatalogPath)
private let tuiDatabase = try! tuiTemporaryDatabase()

private func tuiTemporaryDatabase() throws -> BotifyDatabase {
    try BotifyDatabase(path: FileManager.default.temporaryDirectory
        .appendingPathComponent("botify-bench-\(UUID().uuidString).sqlite").path)
}

/// A player state whose strategy in charge is built, as the runner leaves it after start-up.
private func tuiState(_ catalog: Catalog, _ db: BotifyDatabase) -> AppState {
    let strategies = RegistryStrategies(registry: .standard, database: db, catalog: catalog)
    var state = AppState(catalog: catalog, strategies: strategies,
                         user: 1, source: .human, size: TerminalSize(width: 80, height: 24), seed: 1, now: 0)
    state.loaded[state.activeStrategy] = strategies.recommender(named: state.activeStrategy)
    return state
}

/// Applies `action` as the runner does: the recommender picks `update` asks for are performed
/// and answered, one action at a time.
private func tuiApply(_ state: inout AppState, _ action: Action) {
    var queue = [action]
    while !queue.isEmpty {
        for case .recommend(let request) in update(&state, queue.removeFirst()) {
            queue.append(request.perform(stopwatch: SystemStopwatch()))
        }
    }
}

func registerTUIBenchmarks() {
    Benchmark("TUI start-up to first frame (shipped catalog, new database)",
              configuration: .init(metrics: [.wallClock], maxIterations: 30)) { benchmark in
        for _ in benchmark.scaledIterations {
            let catalog = try CatalogLoader.load(path: tuiCatalogPath)
            let db = try tuiTemporaryDatabase()
            let terminal = HeadlessTerminal(width: 80, height: 24)
            let app = PlayerApp(state: tuiState(catalog, db), terminal: terminal, clock: SystemClock(),
                                recorder: try DatabaseRecorder(database: db, catalog: catalog), data: DatabasePlayerData(database: db))
            app.start()
            blackHole(terminal.framesDrawn)
        }
    }

    Benchmark("TUI frame render 80x24 (Now Playing, shipped catalog)",
              configuration: .init(metrics: [.wallClock], scalingFactor: .kilo, maxIterations: 50)) { benchmark in
        var state = tuiState(tuiCatalog, tuiDatabase)
        for text in ["search queen", "select", "skip", "skip", "screen now-playing"] { tuiApply(&state, .command(try Command.parse(text))) }
        let terminal = HeadlessTerminal(width: 80, height: 24)
        var t = 0.0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            t += 0.05
            tuiApply(&state, .tick(now: t))
            terminal.draw(AppView.render(state))
        }
    }

    Benchmark("TUI frame render 80x24 (Library, scrolling, shipped catalog)",
              configuration: .init(metrics: [.wallClock], scalingFactor: .kilo, maxIterations: 50)) { benchmark in
        var state = tuiState(tuiCatalog, tuiDatabase)
        let terminal = HeadlessTerminal(width: 80, height: 24)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = update(&state, .command(Command("down", .count(1))))
            terminal.draw(AppView.render(state))
        }
    }

    Benchmark("TUI search per keystroke (shipped catalog, typing 'queen')",
              configuration: .init(metrics: [.wallClock], maxIterations: 500)) { benchmark in
        var state = tuiState(tuiCatalog, tuiDatabase)
        _ = update(&state, .command(Command("search", .text("warm the index up"))))
        let prefixes = ["q", "qu", "que", "quee", "queen"]
        var i = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            _ = update(&state, .command(Command("search", .text(prefixes[i % prefixes.count]))))
            i += 1
            blackHole(state.library.rows.count)
        }
    }
}
