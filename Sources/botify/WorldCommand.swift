import ArgumentParser
import Core
import Simulator

struct WorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Export or import the simulated world (course file format).",
        subcommands: [WorldExportCommand.self, WorldImportCommand.self])
}

struct WorldExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the world as the course simulator's files.",
        discussion: """
        Writes tracks.json (JSON lines: track, artist, title, album, genre, duration, pop, year), \
        embeddings.npy (float32 [tracks, D], row i = track i), users.json (JSON lines: user, \
        interests, consume_bias, consume_sharpness, session_budget, artist_discount_gamma, \
        interest_neighbours) and \
        world.json (botify's world configuration).
        """)

    @Option(help: "File format; only 'course' exists.")
    var format = "course"

    @Argument(help: "Directory to write into (created if missing).")
    var directory: String

    @Option(parsing: .unconditional, help: "Users in the exported population, 1…\(SizeLimits.users.grouped).")
    var users = 10_000

    @OptionGroup var world: WorldOptions

    /// Not a database command: the world comes from `--catalog` and `--world-seed` (or `--world
    /// DIR`), exactly as `simulate` and `ab` build it from the same flags, and nothing is logged.
    /// `--db` is recognised only to say so, instead of "Unknown option".
    @Option(name: .long, help: ArgumentHelp(visibility: .hidden))
    var db: String?

    /// Called while parsing, before anything is built or written.
    func validate() throws {
        if let db {
            throw InputError(field: "--db", value: db,
                             "world export does not use the database: it writes the world built from --catalog and "
                             + "--world-seed (or read from --world DIR), as simulate and ab build it from the same flags; drop --db")
        }
        guard format == "course" else { throw InputError(field: "--format", value: format, "only 'course' is supported") }
        try SizeLimits.check(users, "--users", 1...SizeLimits.users)
    }

    func run() throws {
        try reportingErrors {
            try validate()
            // An imported world is written back whole (every user of its users.json), as read;
            // a generated one with --users users. Neither needs neighbour lists.
            switch try self.world.read(users: nil) {
            case .imported(let contents):
                try CourseWorldFiles.export(contents, to: directory)
                print("exported \(WorldOptions.describe(contents)) to \(directory)")
            case .generated:
                let world = try self.world.load(users: users)
                try CourseWorldFiles.export(world, to: directory)
                print("exported \(WorldOptions.describe(world)) to \(directory)")
            }
        }
    }
}

struct WorldImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read and check a course-format world; use it with --world DIR in simulate and ab.",
        discussion: """
        Reads float32 or float16 embeddings of any dimension, from embeddings.npy or (the course's older \
        name) tracks.npy. tracks.json may say genre or genres, and numeric fields may be numeric strings \
        ("year": "2004"). Missing user fields take the course defaults (interest_neighbours 10, or world.json's value, \
        consume_bias 5.0, consume_sharpness 1.0, session_budget 5, artist_discount_gamma 0.8).
        """)

    @Argument(help: "Directory holding tracks.json, embeddings.npy (or tracks.npy) and users.json.")
    var directory: String

    func run() throws {
        try reportingErrors {
            // Reads and checks the files only: neighbour lists are computed (and cached) by the
            // first simulate or ab that uses the world, for the users it runs.
            let clock = ContinuousClock.now
            let world = try CourseWorldFiles.read(from: directory)
            let seconds = clock.duration(to: .now)
            let interests = world.users.interests.count
            print("\(WorldOptions.describe(world)); read and checked in \(WorldOptions.format(seconds))")
            print("\(interests) interests (\(String(format: "%.2f", Double(interests) / Double(world.users.count))) per user); "
                  + "run it with: botify simulate --world \(directory) --users \(world.users.count)")
        }
    }
}
