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

    @Test("--log-features stores one vector per recommended play; train ranker learns from them and serves; eval times the stages")
    func loggedFeatures() throws {
        let db = scratchDirectory("ranker-logged") + "/r.sqlite"
        let common = ["--threads", "2", "--catalog", smallCatalog, "--db", db]
        #expect(try runBotify(["train", "ranker", "--from-logged-features"] + common).status == 2, "no database yet")
        let day0 = try runBotify(["simulate", "--strategy", "random-fresh", "--users", "40", "--sessions", "2", "--seed", "1"] + common)
        #expect(day0.status == 0, "\(day0.stderr)")
        let none = try runBotify(["train", "ranker", "--from-logged-features"] + common)
        #expect(none.status == 2 && none.stderr.hasPrefix("botify: ") && none.stderr.contains("--log-features"), "\(none.stderr)")
        let day1 = try runBotify(["simulate", "--strategy", "ranker", "--log-features", "--users", "40", "--sessions", "2", "--seed", "2"] + common)
        #expect(day1.status == 0, "\(day1.stderr)")
        let recommended = try sqlite(db, "SELECT count(*) FROM play_log p JOIN sessions s ON s.id = p.session_id WHERE s.strategy = 'ranker' AND p.position > 0")
        #expect(try sqlite(db, "SELECT count(*) FROM ranker_features") == recommended && recommended != "0")
        #expect(try sqlite(db, "SELECT count(*) FROM ranker_features f JOIN play_log p USING (session_id, position) WHERE p.position = 0") == "0")
        let width = try sqlite(db, "SELECT columns * 4 FROM ranker_feature_sets")
        #expect(try sqlite(db, "SELECT count(*) FROM ranker_features WHERE length(features) <> \(width)") == "0")
        let train = try runBotify(["train", "ranker", "--from-logged-features", "--rounds", "5", "--depth", "3"] + common)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("learning from \(recommended) feature vectors logged under feature set #1"), "\(train.stdout)")
        #expect(try sqlite(db, "SELECT json_extract(params, '$.\"logged features\"') || ' ' || json_extract(params, '$.rows') FROM models WHERE strategy = 'ranker'")
                == "1 \(recommended)", "the stored ranker did not learn from the logged vectors")
        let served = try runBotify(["simulate", "--strategy", "ranker", "--users", "10", "--sessions", "1", "--seed", "3", "--exploration", "0"] + common)
        #expect(served.status == 0, "\(served.stderr)")
        let stages = try runBotify(["eval", "--ranker-stages", "50"] + common)
        #expect(stages.status == 0, "\(stages.stderr)")
        #expect(stages.stdout.contains("over 50 logged contexts (trained model)") && stages.stdout.contains("next() total"), "\(stages.stdout)")
    }

    @Test("bad logging and rule flags: exit 2, one line naming the flag",
          arguments: [["--log-features", "--no-log"], ["--exploration", "1.5"], ["--mmr-lambda", "-1"], ["--artist-cap", "0"]])
    func badRunFlags(_ flags: [String]) throws {
        let db = scratchDirectory("ranker-bad-run") + "/none.sqlite"
        let r = try runBotify(["simulate", "--strategy", "ranker", "--users", "5"] + flags + ["--catalog", smallCatalog, "--db", db])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("botify: ") && r.stderr.contains(flags[0]), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
