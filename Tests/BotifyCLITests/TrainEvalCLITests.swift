import Core
import Foundation
import Storage
import Testing

/// `botify train` and `botify eval` through the real binary: exit statuses and messages.
@Suite("train and eval commands")
struct TrainEvalCLITests {
    static func run(_ arguments: [String], db: String) throws -> BotifyResult {
        try runBotify(arguments + ["--db", db, "--catalog", repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("botify-train-\(UUID().uuidString).sqlite").path
    }

    @Test("training on an empty database, an unknown or untrainable strategy: exit 2 with a clear message")
    func exitTwo() throws {
        let db = Self.temporaryDatabase()
        let missing = try Self.run(["train", "als"], db: db)
        #expect(missing.status == 2 && missing.stderr.contains("no such database"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
        _ = try BotifyDatabase(path: db)
        let empty = try Self.run(["train", "als"], db: db)
        #expect(empty.status == 2 && empty.stderr.contains("no logged plays"))
        let unknown = try Self.run(["train", "nope"], db: db)
        #expect(unknown.status == 2 && unknown.stderr.contains("valid: random, random-fresh, top-pop"))
        let untrainable = try Self.run(["train", "random"], db: db)
        #expect(untrainable.status == 2 && untrainable.stderr.contains("trainable: top-pop, i2i, markov, als"))
        let eval = try Self.run(["eval", "--strategies", "random,bogus"], db: db)
        #expect(eval.status == 2 && eval.stderr.contains("unknown strategy"))
    }

    @Test("train stores a model; eval prints a table")
    func trainAndEval() throws {
        let db = Self.temporaryDatabase()
        let database = try BotifyDatabase(path: db)
        let writer = try BatchSessionWriter(database: database)
        var rng = SeededGenerator(seed: 1)
        for s in 0..<300 {
            let user = Int64(s % 60)
            let base = Int(user % 6) * 100
            var plays: [Play] = []
            for i in 0..<6 {
                let track = TrackID(base + rng.nextIndex(20))
                let fraction: Float = i % 3 == 2 ? 0.2 : 1
                plays.append(Play(position: Int32(i), track: track, fraction: fraction, outcome: .skipped,
                                  recommendedBy: i == 0 ? nil : "random"))
            }
            _ = try writer.append(SessionLog(user: user, strategy: "random", source: .sim, startedAt: Double(s), endedAt: Double(s) + 1, plays: plays))
        }
        try writer.close()
        let train = try Self.run(["train", "i2i"], db: db)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("trained i2i on 300 sessions (1800 plays, ids 1–300)"))
        #expect(try database.models.status().map(\.strategy) == ["i2i"])
        let eval = try Self.run(["eval", "--strategies", "random,i2i"], db: db)
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.hasPrefix("strategy") && eval.stdout.contains("\ni2i "))
    }
}
