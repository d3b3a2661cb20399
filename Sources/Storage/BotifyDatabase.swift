import Core
import Foundation
import GRDB

/// botify's SQLite database (docs/ARCHITECTURE.md §4): a WAL pool several processes may share. Writers wait
/// up to `busyTimeout` for each other instead of failing with "database is locked".
public final class BotifyDatabase: Sendable {
    public let path: String
    /// A WAL pool, or for `openReadOnly` a single read-only connection (whose writes fail).
    let connection: any DatabaseWriter
    /// Opened by `openReadOnly`: nothing may be stored through it.
    public let isReadOnly: Bool
    /// For a read-only connection opened `immutable` (the file was at rest): what the file looked
    /// like then, so a reader can tell whether a writer changed it meanwhile.
    let restingState: RestingFile?

    /// SQLite's default: other writes checkpoint once the WAL holds this many pages.
    static let autocheckpointPages = 1000

    /// How long a writer waits for another connection or process to release the write lock.
    public static let busyTimeout: TimeInterval = 5

    /// Opens (creating if needed) and migrates the database at `path`. Bad input — a path that
    /// cannot be written, a file that is not a botify database, a database from a newer botify —
    /// throws `InputError` and leaves the file as it was.
    public init(path: String) throws {
        self.path = path
        try Self.prepareDirectory(for: path)
        try Self.checkExistingFile(at: path)
        do {
            let pool = try Self.openPool(path: path)
            try Self.migrate(pool)
            connection = pool
        } catch let error as DatabaseError {
            throw Self.inputError(error, path: path) ?? error
        }
        isReadOnly = false
        restingState = nil
    }

    init(path: String, readOnly connection: DatabaseQueue, restingState: RestingFile?) {
        self.path = path
        self.connection = connection
        isReadOnly = true
        self.restingState = restingState
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            // In WAL, NORMAL keeps every commit safe from a process crash or kill (the commit is
            // in the WAL before COMMIT returns); only a power loss can drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Session indexes take inserts in user order, not append order: keep their pages
            // in memory (32 MB; pages are only allocated when used).
            try db.execute(sql: "PRAGMA cache_size = -32768")
        }
        return config
    }

    /// Several processes may open a fresh file at once. Switching it to WAL takes its exclusive
    /// lock, and SQLite answers SQLITE_BUSY at once to the others (a busy handler could
    /// deadlock there); once one has switched it, the others' retry finds it in WAL.
    private static func openPool(path: String) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration())
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }

    /// Two processes may migrate a fresh file at once: the loser of a migration's lock sees
    /// "table already exists", rolls back, and tries again on top of the winner's work.
    private static func migrate(_ pool: DatabasePool) throws {
        let migrator = Schema.migrator
        var attempts = 0
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                attempts += 1
                let done = try pool.read { try migrator.hasCompletedMigrations($0) }
                if done { return }
                if attempts >= 3 { throw error }
            }
        }
    }

    private static func prepareDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw InputError(file: path, "cannot create the database: '\(directory)' is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: path, "cannot create the database directory '\(directory)'")
        }
    }

    /// Refuses, without writing anything, a file that is not an SQLite database, an SQLite
    /// database that is not botify's, or one migrated by a newer botify.
    private static func checkExistingFile(at path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        if isDirectory.boolValue { throw InputError(file: path, "is a directory, not a database file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, "cannot read the database file")
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty { return }  // SQLite treats an empty file as an empty database.
        guard header == Data("SQLite format 3\0".utf8) else {
            throw InputError(file: path, "is not an SQLite database")
        }
        do {
            // A plain connection reads the markers without switching the file to WAL.
            var config = Configuration()
            config.busyMode = .timeout(busyTimeout)
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in try checkMarkers(db, path: path) }
        } catch let error as DatabaseError {
            throw inputError(error, path: path) ?? error
        }
    }

    static func checkMarkers(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let hasMigrations = try db.tableExists("grdb_migrations")
        if applicationID != Schema.applicationID {
            let tables = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                """) ?? 0
            if applicationID != 0 || tables > 0 {
                throw InputError(file: path, "is an SQLite database but not a botify database")
            }
            return
        }
        if version > Schema.version {
            throw InputError(file: path, field: "schema version", value: String(version),
                             "written by a newer botify (this build knows up to version \(Schema.version)); not opened")
        }
        if hasMigrations {
            let known = Set(Schema.migrations.map(\.identifier))
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw InputError(file: path, field: "migration", value: unknown,
                                 "written by a newer botify (unknown migration); not opened")
            }
        }
    }

    /// Errors that mean "this file is not usable" rather than "botify failed".
    private static func inputError(_ error: DatabaseError, path: String) -> InputError? {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return InputError(file: path, "is not a usable SQLite database (\(error.message ?? "\(error.resultCode)"))")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH, .SQLITE_IOERR:
            return InputError(file: path, "cannot open the database for writing (\(error.message ?? "\(error.resultCode)"))")
        default:
            return nil
        }
    }

    /// Runs `body` in one write transaction (for stores that need more than one statement).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.write(body)
    }

    /// One IMMEDIATE transaction with per-row foreign-key checks off: for the batch writer,
    /// whose plays reference only the session it inserted just before, in the same
    /// transaction (it checks its one world reference itself). The checks cost a cursor
    /// open, seek and close per play. The commit does not checkpoint either: the batch
    /// writer's `WALCheckpointer` does that on another thread. Both are back on before this
    /// returns.
    func writeTrustingReferences<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0")
            let result = Result<T, any Error> {
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                return value!
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = \(Self.autocheckpointPages)")
            return try result.get()
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.read(body)
    }

    /// `PRAGMA integrity_check` — "ok" for a sound file.
    public func integrityCheck() throws -> String {
        try connection.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "" }
    }
}
