import ArgumentParser
import Core
import Foundation
import PlayerWiring
import Ranking
import Recommenders
import Simulator
import Storage
import TUI
import Terminal

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Open the terminal player (the default command).",
        discussion: "Pick a track in the Library and press Enter; from then on the strategy picks every next track, "
            + "and every play is written to the database as it ends. Press ? for every key. "
            + "Keys and colours: $XDG_CONFIG_HOME/botify/config.toml (see assets/config.toml).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var world: WorldOptions
    @OptionGroup(title: "Remote strategies (--strategy http://HOST:PORT)") var remote: RemoteOptions

    @Flag(help: "A simulated user of the world listens and skips, visibly, while you watch and switch strategies.")
    var bot = false

    @Flag(help: "With --bot, keep the listener's plan for each track hidden until it happens (config [bot] show_plan = false).")
    var noSpoilers = false

    @Option(parsing: .unconditional, help: """
        Listener id (default: a stable id derived from your login name); with --bot, the world's user number \
        (default 0): 0…\(Self.generatedBotUsers - 1) of a generated world, or one of the users of --world DIR.
        """)
    var user: Int64?

    /// The player's fastest (`playbackSpeedRange`), as a multiple of the normal speed.
    static let maxSpeed = Int(playbackSpeedRange.upperBound / defaultPlaybackSpeed)

    /// With --bot, the users of a generated world (the population `simulate` uses by default).
    static let generatedBotUsers = WorldConfig().users

    @Option(help: "Strategy in charge at start (see the Strategies screen).")
    var strategy: String = "random"

    @Option(parsing: .unconditional,
            help: "Playback speed: 1 plays a 3.5-minute track in about 10 s; 2 twice as fast; at most \(Self.maxSpeed).")
    var speed: Double = 1

    @Option(help: "Run the commands of this file (one per line, 'wait SECONDS' between) while you watch.")
    var script: String?

    @Option(help: "Seed for the recommenders' random choices.")
    var seed: UInt64 = 1

    func validate() throws {
        try remote.validate()
        guard speed > 0, speed <= Double(Self.maxSpeed) else {
            throw InputError(field: "--speed", value: String(speed), "must be a positive number, at most \(Self.maxSpeed)")
        }
        if noSpoilers && !bot {
            throw InputError(field: "--no-spoilers", "only with --bot: it hides the simulated listener's plan")
        }
        if bot, let user, user < 0 || user >= Self.generatedBotUsers && world.worldDirectory == nil {
            throw InputError(field: "--user", value: String(user),
                             "with --bot, a user number 0…\(Self.generatedBotUsers - 1) of the generated world "
                             + "(\(Self.generatedBotUsers.grouped) users; --world DIR for another population)")
        }
    }

    func run() throws {
        try reportingErrors {
            let environment = ProcessInfo.processInfo.environment
            do {
                try NCursesTerminal.checkUsable(environment: environment)
            } catch {
                throw InputError("\(error)")
            }
            var config = PlayerConfig()
            if let path = PlayerConfig.defaultPath(environment: environment), FileManager.default.fileExists(atPath: path) {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw InputError(file: path, "cannot read the config file") }
                try config.apply(toml: text, file: path)
            }
            let parsedScript = try script.map { path in
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw InputError(file: path, "cannot read the script") }
                return try Script.parse(text, file: path)
            }
            var registry = StrategyRegistry.withRanker()
            var simulated: SimulatedBot?
            let catalog: Catalog
            if bot {
                let index = Int(user ?? 0)
                let inputs = try world.read(users: nil)
                let available = inputs.availableUsers ?? Self.generatedBotUsers
                if index < 0 || index >= available {
                    throw InputError(file: world.worldDirectory, field: "--user", value: String(index),
                                     "with --bot, a user number 0…\(available - 1) of the world (it has \(available.grouped) users)")
                }
                // The first index + 1 users: neighbour lists only for those.
                let w = try LoadedWorld.prepare(inputs, users: index + 1, readSeconds: .zero, cache: .none(nil)).world
                catalog = w.catalog
                registry = SimulatorStrategies.registry(world: w)
                simulated = SimulatedBot(world: w, user: index, seed: seed)
            } else {
                catalog = try world.catalogOptions.loadCatalog()
            }
            // Checked before the database is opened, so a typo (or a remote service that does
            // not answer) creates nothing: a listed name, one a resolver knows (http://…), or an
            // imported list in an existing database.
            let imported = !registry.names.contains(strategy) && SimulatedStrategyNames.mayBeImported(strategy)
                && FileManager.default.fileExists(atPath: database.path)
            if !imported {
                do {
                    // A resolved name (http://…) joins the registry, so the Strategies screen
                    // lists it and `strategy NAME` switches back to it.
                    let resolved = try registry.strategy(named: strategy)
                    if !registry.names.contains(strategy) { registry.register(resolved) }
                } catch var error as InputError {
                    error.field = "--strategy"
                    throw error
                }
            }
            let db = try database.openDatabase()
            // Imported lists join the registry here, so the player, its Strategies screen and
            // `strategy NAME` see them like any other strategy.
            try registry.registerLists(from: db, catalog: catalog)
            let strategies = RegistryStrategies(registry: registry, database: db, catalog: catalog)
            // Listed now (an imported list), or resolved by name (http://…).
            guard strategies.strategies.contains(where: { $0.name == strategy }) || (try? registry.strategy(named: strategy)) != nil else {
                throw InputError(field: "--strategy", value: strategy,
                                 "unknown strategy; valid: \(strategies.strategies.map(\.name).joined(separator: ", "))")
            }
            let clock = SystemClock()
            let terminal = try NCursesTerminal(colors: (environment["NO_COLOR"] ?? "").isEmpty, mouse: config.mouse)
            var state = AppState(catalog: catalog, strategies: strategies, keymap: config.keymap, theme: config.theme,
                                 user: simulated?.userID ?? user ?? Self.defaultUser(environment), source: bot ? .bot : .human,
                                 size: terminal.size, seed: seed,
                                 now: clock.now(), strategy: strategy)
            state.speed = max(defaultPlaybackSpeed * speed, playbackSpeedRange.lowerBound)
            state.mouse = config.mouse
            state.bot = config.bot
            if noSpoilers { state.bot.showPlan = false }
            let app = PlayerApp(state: state, terminal: terminal, clock: clock,
                                recorder: try DatabaseRecorder(database: db, catalog: catalog),
                                data: DatabasePlayerData(database: db), bot: simulated, script: parsedScript)
            app.run()
            if let signal = app.endingSignal { throw ExitCode(128 + signal) }
        }
    }

    /// The same person gets the same id every time, apart from simulated users (small ids).
    static func defaultUser(_ environment: [String: String]) -> Int64 {
        let name = environment["USER"] ?? environment["LOGNAME"] ?? "listener"
        return 1_000_000 + Int64(StableHash.of(name) % 1_000_000)
    }
}
