import Core
import Foundation
import Simulator
import Storage

/// A world's inputs as read and checked from the flags: nothing derived yet, nothing written.
enum WorldInputs {
    case generated(Catalog, WorldConfig)
    case imported(CourseWorldFiles.Contents)

    /// Users the inputs can supply (nil: a generated world makes as many as asked).
    var availableUsers: Int? {
        switch self {
        case .generated: return nil
        case .imported(let contents): return contents.users.count
        }
    }
}

/// Where a run finds its world's derived data, and whether it may keep what it computes.
enum WorldCacheAccess {
    /// A logged run's database: read the cache, store what was computed, record the world.
    case readWrite(BotifyDatabase)
    /// `--no-log` on an existing database of this schema, opened read-only: a matching entry is
    /// used, nothing is stored.
    case readOnly(BotifyDatabase)
    /// Nothing to read: no database (nil), or one `--no-log` could not read, and why.
    case none(String?)

    /// `--no-log`: the database at `path` read-only if it is there and current, else nothing.
    static func readOnly(path: String) -> WorldCacheAccess {
        switch BotifyDatabase.openReadOnly(path: path) {
        case .absent: return .none(nil)
        case .opened(let database): return .readOnly(database)
        case .unusable(let why): return .none("\(path): \(why)")
        }
    }

    var database: BotifyDatabase? {
        switch self {
        case .readWrite(let database), .readOnly(let database): return database
        case .none: return nil
        }
    }

    /// The database the run may write to: the cache entry, the `worlds` row.
    var writable: BotifyDatabase? {
        if case .readWrite(let database) = self { return database }
        return nil
    }
}

/// A world ready for a run, its row in the database, and how it was made, for the summary.
struct LoadedWorld {
    let world: World
    /// The `worlds` row (nil without a writable database: `--no-log`).
    let worldID: Int64?
    /// "world #1 loaded from cache in 0.02 s (catalog read in 0.09 s)", "world #1 generated in 2.41 s
    /// and cached (…)", …: the honest account the summary line prints.
    let provenance: String

    /// Builds the world of the first `users` users. With a database, its derived data comes from
    /// the world cache when an intact entry for exactly these inputs is there; otherwise it is
    /// computed and, when the database is writable, stored (one transaction: a killed run leaves
    /// the old entry or none); a damaged or undecodable entry is said in `provenance`, rebuilt
    /// and (writable) replaced, never used. A read-only database is only ever read; an error
    /// reading it falls back to computing, said in `provenance`.
    static func prepare(_ inputs: WorldInputs, users: Int, readSeconds: Duration, cache access: WorldCacheAccess) throws -> LoadedWorld {
        let clock = ContinuousClock.now
        let cache = access.database?.worldCache
        let keeper = access.writable?.worldCache
        var refused: String?
        var unread: String?
        if case .none(let why) = access { unread = why }
        func cached(_ identity: String) throws -> [UInt8]? {
            let lookup: WorldCacheStore.Lookup
            do {
                lookup = try cache?.lookup(identity: identity) ?? .miss
            } catch where access.writable == nil {
                unread = "\(error)"
                return nil
            }
            switch lookup {
            case .hit(let bytes): return bytes
            case .miss: return nil
            case .damaged(let why): refused = why; return nil
            }
        }
        let world: World
        var how: String
        switch inputs {
        case .generated(let catalog, var config):
            config.users = users
            let identity = WorldCache.identity(generating: catalog, config: config)
            var fromCache: World?
            if let bytes = try cached(identity) {
                do { fromCache = try WorldCache.decodeGenerated(bytes, catalog: catalog, config: config) } catch {
                    refused = "\(error)"
                }
            }
            if let fromCache {
                world = fromCache
                how = "loaded from cache in \(WorldOptions.format(clock.duration(to: .now)))"
            } else {
                world = World.generate(catalog: catalog, config: config)
                how = "generated in \(WorldOptions.format(clock.duration(to: .now)))"
                if let keeper {
                    try keeper.store(identity: identity, payload: WorldCache.encode(generated: world), at: Date().timeIntervalSince1970)
                    how += " and cached"
                }
            }
            how += " (catalog read in \(WorldOptions.format(readSeconds)))"
        case .imported(let contents):
            let width = contents.candidateCount(users: users)
            let identity = WorldCache.identity(neighboursOver: contents.space, width: width)
            var known: InterestNeighbours?
            if let bytes = try cached(identity) {
                do { known = try WorldCache.decodeNeighbours(bytes, tracks: contents.catalog.count, width: width) } catch {
                    refused = "\(error)"
                }
            }
            world = contents.world(users: users, reusing: known)
            let computed = world.neighbours.tracks.count - (known?.tracks.count ?? 0)
            let seconds = WorldOptions.format(clock.duration(to: .now))
            if computed == 0 {
                how = "neighbour lists loaded from cache in \(seconds)"
            } else {
                how = "neighbour lists of \(computed.grouped) interest tracks computed in \(seconds)"
                if let keeper {
                    try keeper.store(identity: identity, payload: WorldCache.encode(world.neighbours), at: Date().timeIntervalSince1970)
                    how += " and cached"
                }
            }
            how = "files read in \(WorldOptions.format(readSeconds)), " + how
        }
        if let refused {
            how += "; the cached entry was refused (\(refused)) and " + (keeper == nil ? "not used" : "rebuilt")
        }
        if let unread { how += "; cache not read: \(unread)" }
        var worldID: Int64?
        if let database = access.writable {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let config = String(decoding: try encoder.encode(world.config), as: UTF8.self)
            worldID = try database.worlds.save(config: config, catalogFingerprint: world.catalog.fingerprint,
                                               at: Date().timeIntervalSince1970)
        }
        let name = worldID.map { "world #\($0)" } ?? "world"
        return LoadedWorld(world: world, worldID: worldID,
                           provenance: inputs.availableUsers == nil ? "\(name) \(how)" : "\(name): \(how)")
    }
}

extension WorldOptions {
    /// Reads and checks the catalog or the world files; for an imported world, refuses `users`
    /// beyond the file's population. Nothing is written.
    func read(users: Int?) throws -> WorldInputs {
        if let worldDirectory {
            let contents = try CourseWorldFiles.read(from: worldDirectory)
            if let users, users > contents.users.count {
                throw InputError(file: worldDirectory, field: "--users", value: String(users),
                                 "the world has only \(contents.users.count) users")
            }
            return .imported(contents)
        }
        return .generated(try catalogOptions.loadCatalog(), WorldConfig(seed: worldSeed))
    }

    /// Reads the inputs, then builds the world of `users` users through the world cache `cache`
    /// opens (called once the inputs are checked). Bad input throws before anything is written.
    func prepare(users: Int, cache: () throws -> WorldCacheAccess) throws -> LoadedWorld {
        let clock = ContinuousClock.now
        let inputs = try read(users: users)
        let readSeconds = clock.duration(to: .now)
        return try LoadedWorld.prepare(inputs, users: users, readSeconds: readSeconds, cache: try cache())
    }
}
