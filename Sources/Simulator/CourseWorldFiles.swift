import Core
import Foundation

/// The botify course simulator's files, so course material and botify run on one world:
/// `tracks.json` (JSON lines), `embeddings.npy` (float32, or float16 when imported so, [tracks, D], row i = track i; the
/// course's older files call it `tracks.npy`, which import also reads), `users.json` (JSON
/// lines). botify also writes `world.json` (its `WorldConfig`), which import reads when present
/// and otherwise does without.
public enum CourseWorldFiles {
    public static let tracksFile = "tracks.json"
    public static let embeddingsFile = "embeddings.npy"
    /// The course's older name for the embeddings, read when `embeddings.npy` is absent.
    public static let legacyEmbeddingsFile = "tracks.npy"
    public static let usersFile = "users.json"
    public static let configFile = "world.json"

    struct TrackLine: Codable {
        var track: Int
        var artist: String
        var title: String
        var album: String
        var genre: [String]
        var duration: Double
        var pop: Double
        var year: Int?
    }

    struct UserLine: Codable {
        var user: Int64
        var interests: [Int]
        var consume_bias: Double?
        var consume_sharpness: Double?
        var session_budget: Int?
        var artist_discount_gamma: Double?
        var interest_neighbours: Int?
    }

    /// Writes the four files into `directory` (created if needed). Each file is written to a
    /// temporary name and renamed, so a failure never leaves a half-written file behind.
    public static func export(_ world: World, to directory: String) throws {
        try export(Contents(catalog: world.catalog, config: world.config, space: world.space, users: world.users), to: directory)
    }

    /// `export` of files as read (every user, no neighbour lists needed).
    public static func export(_ world: Contents, to directory: String) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InputError(file: directory, "cannot create directory: \(error.localizedDescription)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let catalog = world.catalog
        var tracks = Data()
        for t in catalog.trackIDs {
            let line = TrackLine(track: Int(t), artist: catalog.artistName(t), title: catalog.title(t), album: catalog.album(t),
                                 genre: catalog.genres(t).map { catalog.genreNames[Int($0)] },
                                 duration: Double(catalog.durations[Int(t)]), pop: Double(catalog.popularity[Int(t)]),
                                 year: catalog.years[Int(t)] == 0 ? nil : Int(catalog.years[Int(t)]))
            tracks.append(try encoder.encode(line))
            tracks.append(0x0A)
        }
        let u = world.users
        var users = Data()
        for row in 0..<u.count {
            let line = UserLine(user: u.ids[row], interests: u.interests(of: row).map(Int.init),
                                consume_bias: u.consumeBias[row], consume_sharpness: u.consumeSharpness[row],
                                session_budget: Int(u.sessionBudget[row]), artist_discount_gamma: u.artistDiscountGamma[row],
                                interest_neighbours: Int(u.interestNeighbours[row]))
            users.append(try encoder.encode(line))
            users.append(0x0A)
        }
        let matrix = NumpyMatrix(rows: world.space.count, columns: world.space.dimensions, values: world.space.vectors,
                                 precision: world.space.precision)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.sortedKeys, .prettyPrinted]
        let files: [(String, Data)] = [(tracksFile, tracks), (embeddingsFile, matrix.npyData()), (usersFile, users),
                                       (configFile, try pretty.encode(world.config))]
        for (name, data) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw InputError(file: path, "cannot write: \(error.localizedDescription)")
            }
        }
    }

    /// A course world's files as read and checked, before any neighbour list is computed.
    public struct Contents: Sendable {
        public let catalog: Catalog
        public let config: WorldConfig
        public let space: TasteSpace
        /// Every user of `users.json`.
        public let users: UserPopulation

        /// The world of the first `count` users: neighbour lists only for their interests,
        /// reusing `known` where it has them.
        public func world(users count: Int, reusing known: InterestNeighbours? = nil) -> World {
            // `config.users` stays the file's count: the world row (and its id) names the files,
            // whatever part of the population a run uses.
            let users = count == self.users.count ? self.users : self.users.prefix(count)
            return World(catalog: catalog, config: config, space: space, users: users, reusing: known)
        }

        /// Width of the neighbour lists of the first `count` users' world.
        public func candidateCount(users count: Int) -> Int {
            World.candidateCount(config: config, users: users.prefix(count), tracks: catalog.count)
        }
    }

    /// Reads a course world with every user (neighbour lists for all of them).
    public static func load(from directory: String) throws -> World {
        let contents = try read(from: directory)
        return contents.world(users: contents.users.count)
    }

    /// Reads and checks a course world: tracks, embeddings (float32 or float16, any D;
    /// `embeddings.npy`, else `tracks.npy`) and users. Missing user fields take the course's defaults.
    public static func read(from directory: String) throws -> Contents {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let tracksPath = path(tracksFile)
        let imported = try CatalogLoader.importFile(path: tracksPath, format: .jsonl)
        guard imported.report.idMapping == .identity || imported.report.idMapping == .reordered else {
            throw InputError(file: tracksPath, field: "track",
                             "track ids must be 0..n-1 (embedding row i is track i); \(imported.report.idMapping.rawValue)")
        }
        let catalog = imported.catalog
        var embeddingsPath = path(embeddingsFile)
        if !FileManager.default.fileExists(atPath: embeddingsPath),
           FileManager.default.fileExists(atPath: path(legacyEmbeddingsFile)) {
            embeddingsPath = path(legacyEmbeddingsFile)
        }
        guard FileManager.default.fileExists(atPath: embeddingsPath) else {
            throw InputError(file: embeddingsPath, "missing (nor is there \(legacyEmbeddingsFile), the course's older name for it)")
        }
        let matrix = try NumpyMatrix(npy: try readMapped(embeddingsPath), file: embeddingsPath)
        guard matrix.rows == catalog.count else {
            throw InputError(file: embeddingsPath, field: "shape", value: "(\(matrix.rows), \(matrix.columns))",
                             "expected one row per track (\(catalog.count) tracks in \(tracksFile))")
        }
        var config = WorldConfig()
        let configPath = path(configFile)
        if FileManager.default.fileExists(atPath: configPath) {
            do {
                config = try JSONDecoder().decode(WorldConfig.self, from: try readFile(configPath))
            } catch let error as InputError {
                throw error
            } catch {
                throw InputError(file: configPath, "not a botify world configuration: \(error)")
            }
        }
        let users = try readUsers(path(usersFile), tracks: catalog.count, interestNeighbours: config.interestNeighbours)
        config.origin = directory
        config.dimensions = matrix.columns
        config.users = users.count
        config.catalogFingerprint = catalog.fingerprint
        return Contents(catalog: catalog, config: config,
                        space: TasteSpace(dimensions: matrix.columns, count: matrix.rows, vectors: matrix.values,
                                          precision: matrix.precision), users: users)
    }

    static func readFile(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read file (missing or unreadable)")
        }
        return data
    }

    /// The file mapped rather than read (a course embedding matrix is 130 MB or more): the `.npy`
    /// reader converts straight from the mapping.
    static func readMapped(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw InputError(file: path, "cannot read file (missing or unreadable)")
        }
    }

    /// The text of top-level field `key` of a JSON line, for error messages (nil if unreadable).
    static func rawValue(of key: String, in line: Data.SubSequence) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed]) as? [String: Any],
              let value = object[key] else { return nil }
        if value is NSNull { return "null" }
        if let text = value as? String { return text }
        guard JSONSerialization.isValidJSONObject([value]),
              let data = try? JSONSerialization.data(withJSONObject: [value]) else { return "\(value)" }
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// Course defaults for absent fields are the user model's (budget 5, gamma 0.8), and the
    /// course config's for bias (5.0) and sharpness (1.0); `interest_neighbours` defaults to
    /// `interestNeighbours` (world.json's, else the course's 10).
    static func readUsers(_ path: String, tracks: Int, interestNeighbours: Int = 10) throws -> UserPopulation {
        let data = try readFile(path)
        var ids: [Int64] = [], offsets: [Int32] = [0], interests: [TrackID] = []
        var bias: [Double] = [], sharpness: [Double] = [], budget: [Int32] = [], gamma: [Double] = []
        var neighbours: [Int32] = []
        var seen = Set<Int64>()
        let decoder = JSONDecoder()
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let user: UserLine
            do {
                user = try decoder.decode(UserLine.self, from: Data(line))
            } catch DecodingError.keyNotFound(let key, _) {
                throw InputError(file: path, line: lineNumber, field: key.stringValue, "missing")
            } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
                let field = context.codingPath.first?.stringValue
                throw InputError(file: path, line: lineNumber, field: context.codingPath.map(\.stringValue).joined(separator: "."),
                                 value: field.flatMap { Self.rawValue(of: $0, in: line) }, "wrong type")
            } catch {
                throw InputError(file: path, line: lineNumber, value: String(decoding: line, as: UTF8.self), "not a JSON user object")
            }
            guard seen.insert(user.user).inserted else {
                throw InputError(file: path, line: lineNumber, field: "user", value: String(user.user), "duplicate user id")
            }
            guard !user.interests.isEmpty else {
                throw InputError(file: path, line: lineNumber, field: "interests", "a user needs at least one interest")
            }
            for t in user.interests where t < 0 || t >= tracks {
                throw InputError(file: path, line: lineNumber, field: "interests", value: String(t),
                                 "no such track (tracks are 0..<\(tracks))")
            }
            let b = user.consume_bias ?? 5.0, s = user.consume_sharpness ?? 1.0
            let budgetValue = user.session_budget ?? 5, g = user.artist_discount_gamma ?? 0.8
            guard b.isFinite else { throw InputError(file: path, line: lineNumber, field: "consume_bias", value: "\(b)", "not finite") }
            guard s.isFinite else {
                throw InputError(file: path, line: lineNumber, field: "consume_sharpness", value: "\(s)", "not finite")
            }
            guard budgetValue > 0, budgetValue <= 1_000_000 else {
                throw InputError(file: path, line: lineNumber, field: "session_budget", value: String(budgetValue), "must be 1…1000000")
            }
            guard g >= 0, g <= 1 else {
                throw InputError(file: path, line: lineNumber, field: "artist_discount_gamma", value: "\(g)", "must be within 0…1")
            }
            let k = user.interest_neighbours ?? interestNeighbours
            guard k > 0, k <= Int(Int32.max) else {
                throw InputError(file: path, line: lineNumber, field: "interest_neighbours", value: String(k),
                                 "must be a whole number ≥ 1 (the nearest tracks a session's first track is drawn from)")
            }
            ids.append(user.user)
            interests += user.interests.map { TrackID($0) }
            offsets.append(Int32(interests.count))
            bias.append(b)
            sharpness.append(s)
            budget.append(Int32(budgetValue))
            gamma.append(g)
            neighbours.append(Int32(k))
        }
        guard !ids.isEmpty else { throw InputError(file: path, "no users: the file holds no JSON lines") }
        return UserPopulation(ids: ids, interestOffsets: offsets, interests: interests, consumeBias: bias,
                              consumeSharpness: sharpness, sessionBudget: budget, artistDiscountGamma: gamma,
                              interestNeighbours: neighbours)
    }
}
