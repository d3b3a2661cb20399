import Foundation
import Testing

/// `botify catalog info|search|import|synth` through the real binary.
@Suite struct CatalogCLITests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("botify-catalog-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    let shipped = repositoryRoot.appendingPathComponent("catalog/tracks.csv").path

    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = scratch.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func infoReportsTheShippedCatalogHonestly() throws {
        let r = try runBotify(["catalog", "info", "--json"], environment: ["BOTIFY_CATALOG": shipped])
        #expect(r.status == 0, "\(r.stderr)")
        let info = try json(r.stdout)
        #expect(info["tracks"] as? Int == 26_229)
        #expect(info["genres"] as? Int == 6)
        #expect(info["subgenres"] as? Int == 24)
        #expect(info["year_min"] as? Int == 1957 && info["year_max"] as? Int == 2020)
        #expect(info["has_audio_features"] as? Bool == true)
        #expect(info["source"] as? String == shipped)
    }

    @Test func defaultCatalogIsFoundFromASubdirectoryOfTheCheckout() throws {
        var env = ProcessInfo.processInfo.environment
        env["BOTIFY_CATALOG"] = nil
        let r = try runBotify(["catalog", "info"], environment: env, inherit: false,
                              currentDirectory: repositoryRoot.appendingPathComponent("Sources"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tracks       26229"))
        #expect(r.stdout.contains(shipped))
    }

    @Test func searchIsCaseAndAccentInsensitive() throws {
        let r = try runBotify(["catalog", "search", "BEYONCE", "halo", "--catalog", shipped, "--json"])
        #expect(r.status == 0)
        let first = try json(String(r.stdout.split(separator: "\n").first ?? ""))
        #expect(first["artist"] as? String == "Beyoncé" && first["title"] as? String == "Halo")
        let none = try runBotify(["catalog", "search", "zzqqxxyy", "--catalog", shipped])
        #expect(none.status == 0 && none.stdout == "no tracks match\n")
    }

    @Test func importReportsAndWritesAtomically() throws {
        let source = file("course.jsonl", Array("""
            {"track": 1, "artist": "A", "title": "Same"}
            {"track": 0, "artist": "A", "title": "Same", "genre": ["x"], "duration": 180}
            """.utf8))
        let out = scratch.appendingPathComponent("out.csv").path
        let r = try runBotify(["catalog", "import", source, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("tracks       2"))
        #expect(r.stdout.contains("duplicates   1 rows"))
        #expect(r.stdout.contains("each track placed at its id"))
        let back = try runBotify(["catalog", "info", "--json", "--catalog", out])
        #expect(try json(back.stdout)["tracks"] as? Int == 2)
        // The course file works directly as --catalog too.
        let direct = try runBotify(["catalog", "search", "same", "--catalog", source, "--json"])
        #expect(direct.stdout.split(separator: "\n").count == 2)
    }

    @Test func importWithAColumnMap() throws {
        let source = file("other.csv", Array("song_name,artist_name,length_s\nHello,Adele,295\n".utf8))
        let r = try runBotify(["catalog", "import", source, "--map", "title=song_name,artist=artist_name,duration=length_s", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try json(r.stdout)
        #expect(report["tracks"] as? Int == 1)
        #expect((report["missing"] as? [String: Int])?["duration"] == 0)
    }

    @Test func badInputExitsTwoWithOneLineAndWritesNothing() throws {
        let out = scratch.appendingPathComponent("never.csv").path
        let cases: [(args: [String], message: String)] = [
            (["catalog", "import", "/nonexistent/x.csv"], "/nonexistent/x.csv: no such file"),
            (["catalog", "import", file("empty.csv", [])], "empty file"),
            (["catalog", "import", file("t.csv", Array("a,b\n1,2\n".utf8)), "--format", "xml"], "unknown format"),
            (["catalog", "import", file("junk.bin", [0, 1, 2, 3])], "unknown catalog format"),
            (["catalog", "import", file("u.csv", Array("artist,title\nA,".utf8) + [0xFF, 0x0A])], ":2: field 'title'"),
            (["catalog", "import", file("nt.csv", Array("artist,title\nA,\n".utf8))], "missing title"),
            (["catalog", "import", file("nd.csv", Array("artist,title,duration_s\nA,B,-1\n".utf8))], "duration must not be negative"),
            (["catalog", "import", file("xd.csv", Array("artist,title,duration_s\nA,B,abc\n".utf8))], "field 'duration_s' value 'abc': not a number"),
            (["catalog", "import", file("id.jsonl", Array("{\"track\":0,\"artist\":\"a\",\"title\":\"b\"}\n{\"track\":0,\"artist\":\"a\",\"title\":\"c\"}\n".utf8))],
             "duplicate track id"),
            (["catalog", "import", file("big.jsonl", [UInt8](repeating: 0x7B, count: 10 << 20))], "big.jsonl:1: "),
        ]
        for c in cases {
            let r = try runBotify(c.args + (c.args.contains("--format") ? [] : ["--out", out]))
            #expect(r.status == 2, "\(c.args): \(r.stderr)")
            #expect(r.stderr.contains(c.message), "\(c.args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(c.args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func missingDefaultCatalogSaysWhereItLooked() throws {
        let r = try runBotify(["catalog", "info", "--catalog", "/nonexistent/c.csv"])
        #expect(r.status == 2 && r.stderr.contains("/nonexistent/c.csv: no such file (from --catalog)"))
    }

    @Test func synthIsDeterministicAndLoadsInBothFormats() throws {
        let a = scratch.appendingPathComponent("a.botcat").path, b = scratch.appendingPathComponent("b.csv").path
        let ra = try runBotify(["catalog", "synth", "--tracks", "3000", "--seed", "4", "--out", a])
        let rb = try runBotify(["catalog", "synth", "--tracks", "3000", "--seed", "4", "--out", b])
        #expect(ra.status == 0 && rb.status == 0)
        let ia = try json(runBotify(["catalog", "info", "--json", "--catalog", a]).stdout)
        let ib = try json(runBotify(["catalog", "info", "--json", "--catalog", b]).stdout)
        #expect(ia["tracks"] as? Int == 3000)
        #expect(ia["fingerprint"] as? String == ib["fingerprint"] as? String)
        #expect(ia["subgenres"] as? Int == 24)
        let bad = try runBotify(["catalog", "synth", "--tracks", "0", "--out", a])
        #expect(bad.status == 2)
        let unwritten = scratch.appendingPathComponent("huge.botcat").path
        for tracks in ["-5", "20000001", "2147483647", "9223372036854775807"] {
            let huge = try runBotify(["catalog", "synth", "--tracks", tracks, "--out", unwritten])
            #expect(huge.status == 2 && huge.stderr.hasPrefix("botify: field '--tracks' value '\(tracks)'"), "\(huge.stderr)")
            #expect(huge.stderr.split(separator: "\n").count == 1 && huge.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: unwritten))
        }
    }
}
