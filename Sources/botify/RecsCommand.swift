import ArgumentParser
import Core
import Experiments
import Foundation
import Recommenders
import Simulator
import Storage

/// `botify recs import|export|list`: the course's recommendation files as strategies
/// (docs/COURSE-FILES.md).
struct RecsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recs",
        abstract: "Import the course's recommendation files as strategies, export botify's models as such files.",
        subcommands: [RecsImportCommand.self, RecsExportCommand.self, RecsListCommand.self])
}

struct RecsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check a course recommendation file against the catalog and store it as strategy NAME.",
        discussion: """
        i2i files are JSON lines {"item_id": id, "recommendations": [ids]} (the course's \
        lightfm_i2i.jsonl, sasrec_i2i.jsonl), served as the course's I2IRecommender: an anchor drawn \
        from the user's last 10 plays ∝ time heard, its first listed track not among them, else \
        random. per-user files are JSON lines {"user": id, "tracks": [ids]} (hstu_recommendations.json), \
        served as the course's Indexed: a random pick from the user's list, else random. Ids are the \
        catalog's track ids (0…n−1). An id outside the catalog, an empty list, a track twice in a \
        list, a key twice or a line that is not JSON is reported as FILE:LINE and nothing is stored.
        """)

    @Argument(help: "The recommendation file (JSON lines).") var file: String
    @Option(help: "Strategy name to store it under (letters, digits, '.', '_', '-').") var name: String
    @Option(help: ArgumentHelp("i2i or per-user. Default: from the first line's fields.", valueName: "i2i|per-user"))
    var kind: RecommendationListKind?
    @Flag(help: "Replace a stored list of the same name.") var replace = false
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        try ListStrategies.checkName(name)
        if SimulatedStrategyNames.builtIn.contains(name) {
            throw InputError(field: "--name", value: name, "is a built-in strategy; choose another name")
        }
    }

    func run() throws {
        try reportingErrors {
            let catalog = try catalogOptions.loadCatalog()
            guard let data = FileManager.default.contents(atPath: file) else { throw InputError(file: file, "cannot read the file") }
            // Everything is checked before the database is opened: bad input creates nothing.
            let (found, lists) = try CourseRecommendationFile.read([UInt8](data), file: file, kind: kind, trackCount: catalog.count)
            let list = RecommendationList(name: name, kind: found, catalogFingerprint: catalog.fingerprint,
                                          source: URL(fileURLWithPath: file).lastPathComponent,
                                          importedAt: Date().timeIntervalSince1970, lists: lists)
            let db = try database.openDatabase()
            try db.saveRecommendationList(list, replacing: replace)
            print("imported \(name): \(found.rawValue), \(list.count.grouped) \(found == .i2i ? "tracks" : "users"), "
                  + "\(list.tracks.count.grouped) recommendations, catalog \(catalog.count.grouped) tracks (\(catalog.fingerprint)) → \(db.path)")
        }
    }
}

struct RecsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a strategy's recommendations in the course's file formats.",
        discussion: """
        --kind i2i writes per-track lists from item neighbours: i2i (and i2i-fresh, the same table) \
        and markov as trained, als by inner product of its item factors, or an imported i2i list as \
        stored. --kind per-user writes, for every user in the log, the strategy's top --k at the end \
        of the user's last session (earlier plays as history), or an imported per-user list as \
        stored. Importing the file back serves the same picks.
        """)

    @Option(help: "The strategy (or imported list) to export.") var strategy: String
    @Option(help: ArgumentHelp("i2i or per-user.", valueName: "i2i|per-user")) var kind: RecommendationListKind
    @Option(help: "Tracks per line. Default: 10 for i2i, 100 for per-user (the course's files).") var k: Int?
    @Option(help: "Output file (written atomically).") var out: String
    @Option(help: "Seed for per-user picks.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "Worker threads for als neighbours (the result does not depend on it).") var threads = 2
    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let k { try SizeLimits.check(k, "--k", 1...10_000) }
        try SizeLimits.check(threads, "--threads", 1...SizeLimits.threads)
    }

    func run() throws {
        try reportingErrors {
            try validate()
            let k = self.k ?? (kind == .i2i ? 10 : 100)
            let catalog = try catalogOptions.loadCatalog()
            let db = try database.openDatabase(mustExist: true)
            var registry = StrategyRegistry.standard
            try registry.registerLists(from: db, catalog: catalog)
            let lists: [(key: Int64, tracks: [TrackID])]
            if let stored = try db.recommendationList(named: strategy), !SimulatedStrategyNames.builtIn.contains(strategy) {
                guard stored.kind == kind else {
                    throw InputError(field: "--kind", value: kind.rawValue, "'\(strategy)' is an imported \(stored.kind.rawValue) list")
                }
                guard stored.catalogFingerprint == catalog.fingerprint else {
                    throw InputError(field: "--strategy", value: strategy, "was imported against another catalog (fingerprint \(stored.catalogFingerprint)); pass that --catalog")
                }
                lists = (0..<stored.count).map { (stored.keys[$0], Array(stored.tracks(at: $0).prefix(k))) }
            } else {
                let chosen = try registry.strategy(named: strategy)
                let models = try ModelService(store: db).models(registry.trainableNames, catalogFingerprint: catalog.fingerprint)
                switch kind {
                case .i2i:
                    lists = try ListExport.i2i(strategy: chosen.name, models: models, catalog: catalog, k: k, threads: threads)
                case .perUser:
                    let recommender = try chosen.make(StrategyInputs(catalog: catalog, models: models))
                    let sessions = try db.sessions(matching: InteractionFilter())
                    lists = ListExport.perUser(recommender, sessions: sessions, catalog: catalog, k: k, seed: seed)
                }
            }
            guard !lists.isEmpty else {
                throw InputError(field: "--strategy", value: strategy, "has nothing to export (no neighbours, or no users in the log)")
            }
            let list = RecommendationList(name: strategy, kind: kind, catalogFingerprint: catalog.fingerprint, source: strategy,
                                          importedAt: 0, lists: lists)
            let bytes = CourseRecommendationFile.write(list)
            try AtomicFile.write(to: out) { try $0(bytes) }
            print("wrote \(out): \(kind.rawValue) lists of \(strategy), \(list.count.grouped) \(kind == .i2i ? "tracks" : "users"), "
                  + "\(list.tracks.count.grouped) recommendations")
        }
    }
}

struct RecsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the imported recommendation lists.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let db = try database.openDatabase(mustExist: true)
            let lists = try db.recommendationLists()
            guard !lists.isEmpty else {
                print("no imported lists in \(db.path) (botify recs import FILE --name NAME)")
                return
            }
            let formatter = ISO8601DateFormatter()
            let rows = [["name", "kind", "keys", "recommendations", "source", "catalog", "imported"]] + lists.map {
                [$0.name, $0.kind.rawValue, $0.keys.grouped, $0.entries.grouped, $0.source, $0.catalogFingerprint,
                 formatter.string(from: Date(timeIntervalSince1970: $0.importedAt))]
            }
            print(StatsReport.render(rows, rightAligned: [2, 3]), terminator: "")
        }
    }
}

extension RecommendationListKind: ExpressibleByArgument {}
