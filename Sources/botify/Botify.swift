import ArgumentParser
import Core
import Foundation

@main
struct Botify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "botify",
        abstract: "A terminal music player and session simulator for recommender systems.",
        discussion: """
        Exit status: 0 success, 1 failure, 2 bad input or usage.
        Database: --db, else $BOTIFY_DB, else $XDG_DATA_HOME/botify/botify.sqlite.
        Catalog: --catalog, else $BOTIFY_CATALOG, else the shipped catalog.
        """,
        version: BotifyVersion.string,
        subcommands: [
            PlayCommand.self, SimulateCommand.self, ABCommand.self, TrainCommand.self, EvalCommand.self,
            StatsCommand.self, CatalogCommand.self, WorldCommand.self, ExportCommand.self,
        ],
        defaultSubcommand: PlayCommand.self)

    /// Like ArgumentParser's `main`, except that a usage error exits with 2 (not 64), the
    /// status botify uses for every kind of bad input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum BotifyVersion {
    static let string = "0.1.0"
}
