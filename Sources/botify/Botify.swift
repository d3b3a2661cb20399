import ArgumentParser
import Core
import Foundation
import RemoteStrategies

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
            StatsCommand.self, CatalogCommand.self, WorldCommand.self, ExportCommand.self, RecsCommand.self, ServeCommand.self,
        ],
        defaultSubcommand: PlayCommand.self)

    /// Like ArgumentParser's `main`, except that every error found while parsing — a usage error,
    /// a bad value, or an `InputError` thrown by a `validate()` — prints one line `botify: …` and
    /// exits with 2, the status botify uses for every kind of bad input, before any command runs
    /// (so nothing is written). Help and version requests print as usual.
    static func main() {
        // `http://HOST:PORT` names a remote recommender wherever a strategy is accepted.
        RemoteStrategyResolver.shared.install()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            printError(usageLine(for: error))
            Foundation.exit(2)
        }
        do {
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// One line for a parse error: "botify: MESSAGE (see 'botify simulate --help')".
    static func usageLine(for error: Error) -> String {
        var text = message(for: error)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        text = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        if text.isEmpty { text = "invalid command line" }
        // The full message ends with "  See 'botify simulate --help' for more information."
        if let see = fullMessage(for: error, columns: 1_000).split(separator: "\n").last(where: { $0.contains("See '") }),
           let open = see.firstIndex(of: "'"), let close = see[see.index(after: open)...].firstIndex(of: "'") {
            text += " (see \(see[open...close]))"
        }
        return "botify: " + text
    }
}

enum BotifyVersion {
    static let string = "0.1.0"
}
