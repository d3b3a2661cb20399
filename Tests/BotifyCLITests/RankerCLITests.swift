import Foundation
import Testing

/// The ranker through the real binary: train → load → serve, and its flags' refusals.
@Suite("ranker commands")
struct RankerCLITests {
    @Test("simulate logs, train ranker stores it, simulate and eval serve it")
    func trainAndServe() throws {
        let db = scratchDirectory("ranker") + "/r.sqlite"
        let common = ["--threads", "2", "--catalog", smallCatalog, "--db", db]
        let day = try runBotify(["simulate", "--strategy", "random-fresh", "--users", "60", "--sessions", "3", "--seed", "1"] + common)
        #expect(day.status == 0, "\(day.stderr)")
        let train = try runBotify(["train", "ranker", "--rounds", "5", "--depth", "3", "--factors", "2", "--iterations", "1"] + common)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("trained ranker on 180 sessions"), "\(train.stdout)")
        #expect(try sqlite(db, "SELECT strategy FROM models") == "ranker")
        let served = try runBotify(["simulate", "--strategy", "ranker", "--users", "10", "--sessions", "1", "--seed", "2"] + common)
        #expect(served.status == 0, "\(served.stderr)")
        #expect(try sqlite(db, "SELECT count(*) > 0 FROM plays p JOIN sessions s ON s.id = p.session_id WHERE s.strategy = 'ranker'") == "1")
        let eval = try runBotify(["eval", "--strategies", "ranker,top-pop", "--rounds", "5", "--factors", "2", "--iterations", "1"] + common)
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.stdout.contains("\nranker "), "\(eval.stdout)")
    }

    @Test("bad ranker flags: exit 2, one line naming the flag, no database created",
          arguments: [["--rounds", "0"], ["--depth", "40"], ["--eta", "0"], ["--eta", "nan"], ["--label-share", "1"]])
    func badFlags(_ flags: [String]) throws {
        let db = scratchDirectory("ranker-bad") + "/none.sqlite"
        let r = try runBotify(["train", "ranker"] + flags + ["--catalog", smallCatalog, "--db", db])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("botify: ") && r.stderr.contains(flags[0]), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
