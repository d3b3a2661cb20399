import Core
import Foundation
import Storage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `botify serve` through the real binary on a free port: the course's protocol, every error
/// case, storage of every call, SIGTERM, the JSON-lines log, and a fuzz of user-controlled input.
@Suite(.serialized) struct ServeCLITests {
    static let tracks = 2_000

    @Test func everyEndpointAndErrorCaseOnOneKeepAliveConnection() throws {
        let dir = scratchDirectory("serve-endpoints")
        let db = dir + "/b.sqlite", log = dir + "/data.jsonl"
        let server = try ServingBotify(["--strategy", "sticky-artist", "--catalog", smallCatalog, "--db", db, "--log-jsonl", log])
        #expect(server.firstLine.contains("strategy sticky-artist on http://127.0.0.1:"))
        let c = try HTTPTestClient(port: server.port)

        let hello = try c.request("GET", "/")
        #expect(hello.status == 200 && hello.headers["content-type"] == "application/json")
        #expect((hello.json as? [String: Any])?["status"] as? String == "alive")
        #expect((hello.json as? [String: Any])?["message"] is String)

        let track = try c.request("GET", "/track/5")
        #expect(track.status == 200)
        let fields = try #require(track.json as? [String: Any])
        #expect(Set(fields.keys) == ["track", "artist", "title", "recommendations"])
        #expect(fields["track"] as? Int == 5 && fields["artist"] is String && fields["title"] is String)
        #expect(try c.request("GET", "/track/\(Self.tracks)").status == 404)
        #expect(try c.request("GET", "/track/\(Self.tracks)").body == "{\"description\": \"Track not found\"}\n")
        #expect(try c.request("GET", "/track/abc").status == 404)
        #expect(try c.request("GET", "/track/-1").status == 404)
        #expect(try c.request("POST", "/track/5", body: "{}").status == 405)

        // A session: first track with time 1.0, two recommended tracks, then last.
        let first = try c.request("POST", "/next/42", body: #"{"track": 10, "time": 1.0}"#)
        #expect(first.status == 200)
        let answer = try #require(first.json as? [String: Any])
        #expect(Set(answer.keys) == ["user", "track"] && answer["user"] as? Int == 42)
        let rec1 = try #require(answer["track"] as? Int)
        #expect((0..<Self.tracks).contains(rec1))
        let second = try c.request("POST", "/next/42", body: "{\"track\": \(rec1), \"time\": 0.5}")
        let rec2 = try #require((second.json as? [String: Any])?["track"] as? Int)
        let last = try c.request("POST", "/last/42", body: "{\"track\": \(rec2), \"time\": 0.25}")
        #expect(last.status == 200 && last.body == "{\"user\": 42}\n")

        // Errors, as Flask and Flask-RESTful answer them.
        let get = try c.request("GET", "/next/42")
        #expect(get.status == 405 && (get.json as? [String: Any])?["message"] is String)
        #expect(try c.request("GET", "/last/42").status == 405)
        #expect(try c.request("PUT", "/next/42", body: #"{"track": 1, "time": 1}"#).status == 405)
        #expect(try c.request("POST", "/next/abc", body: #"{"track": 1, "time": 1}"#).status == 404)
        #expect(try c.request("POST", "/next/-3", body: #"{"track": 1, "time": 1}"#).status == 404)
        #expect(try c.request("POST", "/next/99999999999999999999999", body: #"{"track": 1, "time": 1}"#).status == 404)
        #expect(try c.request("POST", "/nowhere", body: "{}").status == 404)
        #expect(try c.request("POST", "/next/42/", body: #"{"track": 1, "time": 1}"#).status == 404)
        func message(_ r: HTTPTestClient.Response) -> [String: String]? { (r.json as? [String: Any])?["message"] as? [String: String] }
        let missingTime = try c.request("POST", "/next/42", body: #"{"track": 1}"#)
        #expect(missingTime.status == 400)
        #expect(message(missingTime)?.keys.sorted() == ["time"])
        let notJSON = try c.request("POST", "/next/42", body: "track=1&time=1", contentType: "application/x-www-form-urlencoded")
        #expect(notJSON.status == 400 && message(notJSON)?.keys.sorted() == ["track"])
        let noBody = try c.request("POST", "/last/42")
        #expect(noBody.status == 400 && message(noBody)?.keys.sorted() == ["track"])
        let badTrack = try c.request("POST", "/next/42", body: #"{"track": "ten", "time": 1}"#)
        #expect(badTrack.status == 400 && message(badTrack)?.keys.sorted() == ["track"])
        let badTime = try c.request("POST", "/next/42", body: #"{"track": 1, "time": 3}"#)
        #expect(badTime.status == 400 && message(badTime)?.keys.sorted() == ["time"])
        let unknown = try c.request("POST", "/next/42", body: "{\"track\": \(Self.tracks), \"time\": 1}")
        #expect(unknown.status == 404 && (unknown.json as? [String: Any])?["message"] is String)
        let big = try c.request("POST", "/next/42", body: String(repeating: " ", count: 70_000) + #"{"track": 1, "time": 1}"#)
        #expect(big.status == 413)

        let stopped = server.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.lines.last == "botify serve: stopped; 1 sessions, 3 plays stored in \(db) (0 open at shutdown, closed)")

        // Stored: one remote session, the first play the listener's, the others the strategy's.
        #expect(try sqlite(db, "SELECT user_id, strategy, source, experiment IS NULL, end_reason, plays, skips, length FROM sessions")
            == "42|sticky-artist|remote|1|finished|3|2|1.75")
        #expect(try sqlite(db, "SELECT position, track, fraction, action, coalesce(recommended_by, '-'), latency_us > 0 FROM plays ORDER BY position")
            == "0|10|1.0|listened|-|0\n1|\(rec1)|0.5|skipped|sticky-artist|1\n2|\(rec2)|0.25|skipped|sticky-artist|1")

        // The course's data log: one line per successful /next and /last, in its field order.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.map { $0["message"] as? String } == ["next", "next", "last"])
        #expect(objects.map { $0["track"] as? Int } == [10, rec1, rec2])
        #expect(objects.map { $0["time"] as? Double } == [1.0, 0.5, 0.25])
        #expect(objects.map { $0["recommendation"] as? Int } == [rec1, rec2, nil])
        #expect(objects.allSatisfy { ($0["user"] as? Int) == 42 && ($0["experiments"] as? [String: String]) == [:] })
        #expect(objects.allSatisfy { ($0["latency"] as? Double).map { $0 > 0 && $0 < 1 } ?? false })
        let now = Date().timeIntervalSince1970 * 1000
        #expect(objects.allSatisfy { ($0["timestamp"] as? Int).map { abs(Double($0) - now) < 600_000 } ?? false })
        #expect(lines[2].hasPrefix("{\"message\": \"last\", \"timestamp\": ") && lines[2].contains("\"recommendation\": null, \"experiments\": {}}"))
    }

    @Test func sigtermCommitsEveryCallOfOpenSessions() throws {
        let dir = scratchDirectory("serve-sigterm")
        let db = dir + "/b.sqlite"
        let server = try ServingBotify(["--strategy", "random", "--catalog", smallCatalog, "--db", db])
        let c = try HTTPTestClient(port: server.port)
        let calls = 250
        for i in 0..<calls {
            let r = try c.request("POST", "/next/\(i % 17)", body: "{\"track\": \(i), \"time\": 0.5}")
            #expect(r.status == 200)
        }
        let stopped = server.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.lines.last?.contains("17 sessions, \(calls) plays") == true, "\(stopped.lines)")
        #expect(try sqlite(db, "SELECT count(*), sum(plays), count(DISTINCT user_id) FROM sessions WHERE source = 'remote' AND ended_at IS NOT NULL") == "17|\(calls)|17")
        #expect(try sqlite(db, "SELECT count(*) FROM plays") == String(calls))
    }

    /// Each connection is answered on its own event loop: with one loop, keep-alive connections
    /// taking turns call by call must all be answered and every call stored.
    @Test func oneEventLoopAnswersInterleavedConnections() throws {
        let dir = scratchDirectory("serve-one-loop")
        let db = dir + "/b.sqlite", log = dir + "/data.jsonl"
        let server = try ServingBotify(["--threads", "1", "--catalog", smallCatalog, "--db", db, "--log-jsonl", log])
        let clients = try (0..<4).map { _ in try HTTPTestClient(port: server.port) }
        for round in 0..<30 {
            for (i, c) in clients.enumerated() {
                let r = try c.request("POST", "/next/\(i)", body: "{\"track\": \(round), \"time\": 1}")
                #expect(r.status == 200 && (r.json as? [String: Any])?["user"] as? Int == i)
            }
        }
        let stopped = server.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(try sqlite(db, "SELECT count(*), count(DISTINCT session_id) FROM plays") == "120|4")
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == 120)
    }

    @Test func sigintDrainsToo() throws {
        let dir = scratchDirectory("serve-sigint")
        let db = dir + "/b.sqlite"
        let server = try ServingBotify(["--catalog", smallCatalog, "--db", db])
        let c = try HTTPTestClient(port: server.port)
        for i in 0..<20 { _ = try c.request("POST", "/next/1", body: "{\"track\": \(i), \"time\": 1}") }
        let stopped = server.stop(signal: SIGINT)
        #expect(stopped.status == 0)
        #expect(try sqlite(db, "SELECT count(*) FROM plays") == "20")
    }

    @Test func anIdleSessionIsClosedAndStoredWhileServing() throws {
        let dir = scratchDirectory("serve-idle")
        let db = dir + "/b.sqlite"
        let server = try ServingBotify(["--strategy", "top-pop", "--catalog", smallCatalog, "--db", db, "--idle-timeout", "0.3"])
        let c = try HTTPTestClient(port: server.port)
        _ = try c.request("POST", "/next/5", body: #"{"track": 3, "time": 1}"#)
        var stored = ""
        for _ in 0..<100 {
            stored = (try? sqlite(db, "SELECT user_id || ':' || plays || ':' || end_reason FROM sessions")) ?? ""
            if !stored.isEmpty { break }
            usleep(100_000)
        }
        #expect(stored == "5:1:finished")
        // The user's next call opens a new session.
        _ = try c.request("POST", "/next/5", body: #"{"track": 4, "time": 1}"#)
        let stopped = server.stop()
        #expect(stopped.status == 0)
        #expect(try sqlite(db, "SELECT count(*) FROM sessions WHERE user_id = 5") == "2")
    }

    @Test func anExperimentSplitsUsersByTheCourseHash() throws {
        let dir = scratchDirectory("serve-experiment")
        let db = dir + "/b.sqlite", log = dir + "/data.jsonl"
        let server = try ServingBotify(["--experiment", "AA", "--arms", "random,top-pop", "--catalog", smallCatalog,
                                        "--db", db, "--log-jsonl", log])
        #expect(server.firstLine.contains("experiment AA (C random, T1 top-pop)"))
        let c = try HTTPTestClient(port: server.port)
        for user in 0..<16 {
            _ = try c.request("POST", "/next/\(user)", body: #"{"track": 1, "time": 1}"#)
            _ = try c.request("POST", "/last/\(user)", body: #"{"track": 2, "time": 0.5}"#)
        }
        #expect(server.stop().status == 0)
        // The course's Experiments.AA (Split.HALF_HALF) for users 0…15:
        // [Experiment("AA", Split.HALF_HALF).assign(u).value for u in range(16)] with the course's mmh3.
        let course = [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]
        let stored = try sqlite(db, "SELECT arm || '/' || strategy || '/' || experiment FROM sessions ORDER BY user_id")
        #expect(stored.split(separator: "\n").map(String.init) == course.map { ["random", "top-pop"][$0] }.map { "\($0)/\($0)/AA" })
        var treatments: [Int: String] = [:]
        for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            treatments[o["user"] as! Int] = (o["experiments"] as? [String: String])?["AA"]
        }
        #expect((0..<16).map { treatments[$0] } == course.map { ["C", "T1"][$0] })
    }

    @Test func fuzzedPathsAndBodiesNeverCrashIt() throws {
        let dir = scratchDirectory("serve-fuzz")
        let db = dir + "/b.sqlite"
        let server = try ServingBotify(["--strategy", "i2i", "--catalog", smallCatalog, "--db", db])
        var rng = SeededGenerator(seed: 15)
        let pieces = ["next", "last", "track", "", "0", "1", "42", "-1", "abc", "%20", "..", "9999999999999999999999", "1.5", "next/1"]
        let bodies = ["", "{", "}", "null", "[]", "{}", "\"x\"", "1", #"{"track": 1}"#, #"{"time": 1}"#,
                      #"{"track": 1, "time": 0.5}"#, #"{"track": -5, "time": 0.5}"#, #"{"track": 1e300, "time": 0.5}"#,
                      #"{"track": 1, "time": NaN}"#, #"{"track": {"a": 1}, "time": [1]}"#, "\u{0}\u{1}\u{2}", "{\"track\": \"\u{10FFFF}\", \"time\": 1}"]
        let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        var c = try HTTPTestClient(port: server.port)
        var statuses: [Int: Int] = [:]
        for _ in 0..<400 {
            let depth = Int.random(in: 1...3, using: &rng)
            let path = "/" + (0..<depth).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: "/")
            var body = bodies.randomElement(using: &rng)!
            if Int.random(in: 0..<4, using: &rng) == 0 {
                body = String(decoding: (0..<Int.random(in: 0..<200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, as: UTF8.self)
            }
            let method = methods.randomElement(using: &rng)!
            do {
                let r = try c.request(method, path, body: method == "GET" || method == "HEAD" ? nil : body)
                statuses[r.status, default: 0] += 1
                #expect([200, 400, 404, 405, 413].contains(r.status), "\(method) \(path) \(body.debugDescription) → \(r.status)")
            } catch {
                // The server may close a connection it finds malformed; it must still be serving.
                c = try HTTPTestClient(port: server.port)
            }
        }
        // Raw garbage on fresh connections.
        for _ in 0..<20 {
            let g = try HTTPTestClient(port: server.port)
            try? g.send((0..<Int.random(in: 1..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } + [13, 10, 13, 10])
            _ = try? g.readResponse()
        }
        c = try HTTPTestClient(port: server.port)
        #expect(try c.request("GET", "/").status == 200)
        #expect(statuses[200, default: 0] > 0 && statuses[400, default: 0] > 0 && statuses[404, default: 0] > 0)
        let stopped = server.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stderr.isEmpty, "\(stopped.stderr)")
    }

    /// Strategies read the newest model stored for the catalog, as simulate's do.
    @Test func trainedModelsFromTheDatabaseAreServed() throws {
        let dir = scratchDirectory("serve-models")
        let db = dir + "/b.sqlite"
        let sim = try runBotify(["simulate", "--strategy", "random", "--users", "40", "--sessions", "3", "--threads", "2",
                                 "--catalog", smallCatalog, "--db", db])
        #expect(sim.status == 0, "\(sim.stderr)")
        // A track the simulated sessions played, so i2i has neighbours for it.
        let anchor = try sqlite(db, "SELECT track FROM plays WHERE position > 0 GROUP BY track ORDER BY count(*) DESC, track LIMIT 1")
        /// What five new users, each having heard only `anchor`, are answered.
        func answers(_ server: ServingBotify) throws -> Set<Int> {
            let c = try HTTPTestClient(port: server.port)
            return Set(try (900..<905).map { user in
                try #require((try c.request("POST", "/next/\(user)", body: "{\"track\": \(anchor), \"time\": 1}").json
                    as? [String: Any])?["track"] as? Int)
            })
        }
        let untrained = try ServingBotify(["--strategy", "i2i", "--catalog", smallCatalog, "--db", dir + "/empty.sqlite"])
        #expect(untrained.firstLine.hasSuffix("untrained, using their fallbacks: i2i"))
        // Untrained, i2i is the course's random: five users get (almost surely) different tracks.
        #expect(try answers(untrained).count > 1)
        #expect(untrained.stop().status == 0)
        let train = try runBotify(["train", "i2i", "--catalog", smallCatalog, "--db", db])
        #expect(train.status == 0, "\(train.stderr)")
        let server = try ServingBotify(["--strategy", "i2i", "--catalog", smallCatalog, "--db", db])
        #expect(!server.firstLine.contains("untrained"), "\(server.firstLine)")
        // Trained, the only anchor's first neighbour: the same track for every user.
        #expect(try answers(server).count == 1)
        #expect(server.stop().status == 0)
    }

    @Test func badFlagsExitTwoAndCreateNothing() throws {
        let dir = scratchDirectory("serve-flags")
        let db = dir + "/never.sqlite"
        let cases: [([String], String)] = [
            (["--strategy", "nope"], "field '--strategy' value 'nope': unknown strategy"),
            (["--strategy", "random", "--experiment", "X", "--arms", "random,top-pop"], "--strategy"),
            (["--experiment", "X"], "needs --arms"),
            (["--arms", "random,top-pop"], "needs --experiment"),
            (["--experiment", "X", "--arms", "random"], "2 to 10 arms"),
            (["--experiment", "X", "--arms", "random,oracle"], "unknown strategy"),
            (["--port", "70000"], "--port"),
            (["--idle-timeout", "0"], "--idle-timeout"),
            (["--threads", "0"], "field '--threads' value '0': must be 1…"),
            (["--threads", "-2"], "field '--threads' value '-2'"),
            (["--log-jsonl", dir + "/missing/dir/log.jsonl"], "no such directory"),
        ]
        for (flags, text) in cases {
            let r = try runBotify(["serve", "--catalog", smallCatalog, "--db", db] + flags)
            #expect(r.status == 2, "\(flags)")
            #expect(r.stderr.hasPrefix("botify: ") && r.stderr.contains(text) && r.stderr.split(separator: "\n").count == 1,
                    "\(flags): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func aPortInUseIsReported() throws {
        let dir = scratchDirectory("serve-port")
        let first = try ServingBotify(["--catalog", smallCatalog, "--db", dir + "/a.sqlite"])
        let second = try runBotify(["serve", "--port", String(first.port), "--catalog", smallCatalog, "--db", dir + "/b.sqlite"])
        #expect(second.status == 1)
        #expect(second.stderr.hasPrefix("botify: cannot listen on 127.0.0.1:\(first.port): ") && second.stderr.contains("in use"), "\(second.stderr)")
        #expect(first.stop().status == 0)
    }

    /// The course's remote agent, as a stdlib-only Python client, drives `botify serve`.
    @Test func theCourseAgentInPythonDrivesIt() throws {
        guard let python = findExecutable("python3") else {
            print("skipped: python3 is not installed, so examples/course_agent.py cannot run")
            return
        }
        let dir = scratchDirectory("serve-python")
        let db = dir + "/b.sqlite", log = dir + "/data.jsonl"
        let server = try ServingBotify(["--strategy", "i2i-fresh", "--catalog", smallCatalog, "--db", db, "--log-jsonl", log])
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: python)
        agent.arguments = [repositoryRoot.appendingPathComponent("examples/course_agent.py").path, "--port", String(server.port),
                           "--episodes", "60", "--users", "25", "--tracks", String(Self.tracks), "--seed", "3"]
        let out = Pipe(), err = Pipe()
        agent.standardOutput = out
        agent.standardError = err
        try agent.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        agent.waitUntilExit()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(agent.terminationStatus == 0, "\(errors)")
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let nextCalls = try #require(result["next_calls"] as? Int), lastCalls = try #require(result["last_calls"] as? Int)
        #expect(lastCalls == 60 && nextCalls >= 60)
        let stopped = server.stop()
        #expect(stopped.status == 0)
        // Every episode is a closed session, every call a play, in the agent's order.
        #expect(try sqlite(db, "SELECT count(*), sum(plays) FROM sessions WHERE source = 'remote' AND end_reason = 'finished'")
            == "60|\(nextCalls + lastCalls)")
        #expect(stopped.lines.last?.contains("0 open at shutdown") == true)
        let plays = try #require(result["plays"] as? [String: [[[Double]]]])
        for (user, sessions) in plays {
            let stored = try sqlite(db, """
                SELECT group_concat(track || ':' || fraction, ',') FROM
                (SELECT p.track, p.fraction FROM plays p JOIN sessions s ON s.id = p.session_id
                 WHERE s.user_id = \(user) ORDER BY s.id, p.position)
                """)
            let sent = sessions.flatMap { $0 }.map { "\(Int($0[0])):\(Double($0[1]))" }.joined(separator: ",")
            #expect(stored == sent, "user \(user)")
        }
        // Plays after the first of each session are the strategy's.
        #expect(try sqlite(db, "SELECT count(*) FROM plays WHERE position > 0 AND recommended_by = 'i2i-fresh'") == String(nextCalls + lastCalls - 60))
        #expect(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count == nextCalls + lastCalls)
    }
}

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
