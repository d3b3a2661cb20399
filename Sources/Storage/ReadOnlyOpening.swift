import Core
import Foundation
import GRDB

/// What `BotifyDatabase.openReadOnly` found.
public enum ReadOnlyOpening: Sendable {
    /// No file at the path: nothing to read, and nothing is created.
    case absent
    case opened(BotifyDatabase)
    /// A file is there but is not read (not botify's, older or newer schema, unreadable): why.
    case unusable(String)
}

/// The size, modification time and inode of a database file, and whether its `-wal` existed.
struct RestingFile: Equatable, Sendable {
    let size: UInt64
    let modified: Date
    let inode: UInt64
    let hasWAL: Bool

    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.uint64Value,
              let modified = attributes[.modificationDate] as? Date,
              let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value else { return nil }
        self.size = size
        self.modified = modified
        self.inode = inode
        hasWAL = FileManager.default.fileExists(atPath: path + "-wal")
    }
}

extension BotifyDatabase {
    /// Opens an existing database for reading only (a `--no-log` run's world cache): never
    /// creates, migrates or writes the file. Only a database of exactly this build's schema is
    /// opened; anything else is `.unusable` with the reason, so the caller computes in memory.
    ///
    /// SQLite's read-only connection to a WAL database creates `-wal` and `-shm` files and, as it
    /// may not checkpoint, leaves them behind on close; with a `-shm` there, it writes its read
    /// marks into it. So a file at rest with no `-wal` (every commit is in the main file) is
    /// opened `immutable`, which reads it with no side files and no locks, and
    /// `unchangedSinceOpening` then tells a reader whether a writer arrived meanwhile. With a
    /// `-wal` (another process has the file open, or the last one exited without closing it, as
    /// a botify run does) it is read through the WAL with `readonly_shm`, which never writes the
    /// `-shm` (SQLite then reads the WAL itself and retries if a writer moves it).
    public static func openReadOnly(path: String) -> ReadOnlyOpening {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue { return .unusable("is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .unusable("cannot be read") }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty { return .unusable("is empty") }
        guard header == Data("SQLite format 3\0".utf8) else { return .unusable("is not an SQLite database") }
        let resting = RestingFile(path: path)
        let atRest = resting.map { !$0.hasWAL } ?? false
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: uri(path, immutable: atRest), configuration: config)
            try queue.read { db in
                try checkMarkers(db, path: path)
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let applied = try db.tableExists("grdb_migrations")
                    ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) : []
                guard version == Schema.version, applied == Set(Schema.migrations.map(\.identifier)) else {
                    throw InputError(field: "schema version", value: String(version),
                                     "older than this build's \(Schema.version), and a read-only run does not migrate")
                }
            }
            return .opened(BotifyDatabase(path: path, readOnly: queue, restingState: atRest ? resting : nil))
        } catch var error as InputError {
            error.file = nil
            return .unusable(error.description)
        } catch let error as DatabaseError {
            return .unusable(error.message ?? "\(error.resultCode)")
        } catch {
            return .unusable("\(error)")
        }
    }

    /// False when the file opened `immutable` has changed since (a writer arrived): what was read
    /// may mix two states and must not be used. Always true for other connections, whose reads
    /// SQLite keeps consistent.
    public func unchangedSinceOpening() -> Bool {
        guard let restingState else { return true }
        return RestingFile(path: path) == restingState
    }

    /// `file:` URI of `path` (percent-encoded where a URI needs it) in read-only mode: immutable,
    /// or reading the WAL without writing the `-shm`.
    static func uri(_ path: String, immutable: Bool) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:\(encoded)?mode=ro" + (immutable ? "&immutable=1" : "&readonly_shm=1")
    }
}
