import ArgumentParser
import Core
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

    /// For commands that only read: a missing file is an error, not a new empty database.
    func openDatabase(mustExist: Bool) throws -> BotifyDatabase {
        if mustExist, !FileManager.default.fileExists(atPath: path) {
            throw InputError(file: path, "no such database (nothing has been logged there; check --db or $BOTIFY_DB)")
        }
        return try openDatabase()
    }
}
