import ArgumentParser
import Foundation
import Storage

/// `--db PATH`, shared by every command that reads or writes the log.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "SQLite database file.",
        discussion: "Default: $BOTIFY_DB, else $XDG_DATA_HOME/botify/botify.sqlite, else ~/.local/share/botify/botify.sqlite.",
        valueName: "path"))
    var db: String?

    var path: String { DatabaseLocation.resolve(flag: db) }

    /// Opens (creating and migrating if needed) the database; bad files throw `InputError`.
    func openDatabase() throws -> BotifyDatabase {
        try BotifyDatabase(path: path)
    }
}
