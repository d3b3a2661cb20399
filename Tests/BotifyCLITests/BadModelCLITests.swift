import Foundation
import Testing

/// A stored model that cannot be read: `simulate` and `train` exit 2 naming the model row,
/// the database and the remedy (ModelService's failure policy), and retraining fixes it.
@Suite struct BadModelCLITests {
    static func run(_ arguments: [String], db: String) throws -> BotifyResult {
        try runBotify(arguments + ["--threads", "1", "--catalog", smallCatalog, "--db", db])
    }

    /// A new database with a day of simulated sessions and every trainable model trained on it.
    static func trainedDatabase() throws -> String {
        let db = scratchDirectory("bad-model") + "/botify.sqlite"
        let first = try run(["simulate", "--users", "20", "--sessions", "3", "--retrain"], db: db)
        #expect(first.status == 0, "\(first.stderr)")
        return db
    }

    @Test func aCorruptModelRowFailsSimulateUntilRetrained() throws {
        let db = try Self.trainedDatabase()
        let id = try sqlite(db, "SELECT max(id) FROM models WHERE strategy = 'i2i'")
        _ = try sqlite(db, "UPDATE models SET blob = x'00010203' WHERE id = \(id)")

        let simulate = try Self.run(["simulate", "--strategy", "i2i", "--users", "5", "--sessions", "1"], db: db)
        #expect(simulate.status == 2, "\(simulate.stderr)")
        #expect(simulate.stderr.split(separator: "\n").count == 1, "\(simulate.stderr)")
        #expect(simulate.stderr.contains("i2i model #\(id) in \(db)") && simulate.stderr.contains("retrain with 'botify train i2i'"),
                "\(simulate.stderr)")
        let retrain = try Self.run(["simulate", "--users", "5", "--sessions", "1", "--retrain"], db: db)
        #expect(retrain.status == 2 && retrain.stderr.contains("i2i model #\(id)"), "\(retrain.stderr)")

        // Training stores a newer model, which is what strategies load from then on.
        let train = try Self.run(["train", "i2i"], db: db)
        #expect(train.status == 0 && train.stdout.hasPrefix("trained i2i on "), "\(train.stderr)")
        let again = try Self.run(["simulate", "--strategy", "i2i", "--users", "5", "--sessions", "1"], db: db)
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func trainFailsWhenAnUnreadableModelWouldStillShadowTheNewOne() throws {
        let db = try Self.trainedDatabase()
        let id = try sqlite(db, "SELECT max(id) FROM models WHERE strategy = 'markov'")
        _ = try sqlite(db, "UPDATE models SET blob = x'00', trained_at = 1e12 WHERE id = \(id)")
        let train = try Self.run(["train", "markov"], db: db)
        #expect(train.status == 2, "\(train.stderr)")
        #expect(train.stderr.contains("markov model #\(id) in \(db)") && train.stderr.contains("dated later"), "\(train.stderr)")
    }
}
