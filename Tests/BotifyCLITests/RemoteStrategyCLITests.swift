import Foundation
import Testing

/// `--strategy http://HOST:PORT`: botify drives a real service speaking the course's protocol
/// (examples/course_recommender.py, Python standard library only) as the course's remote agent
/// does, and falls back, records and counts when the service misbehaves
/// (Tests/e2e/flaky_recommender.py).
@Suite("remote strategies")
struct RemoteStrategyCLITests {
    @Test("simulate against the example service: plays logged as the remote strategy, /next per pick and /last per session, same result on 1 and 4 threads")
    func simulateAgainstCourseService() throws {
        let dir = scratchDirectory("remote")
        let catalog = try csvCatalog(dir)
        var stored: [String] = []
        for threads in ["1", "4"] {
            let log = dir + "/calls-\(threads).jsonl"
            let service = try PythonService(script: "examples/course_recommender.py", arguments: ["--catalog", catalog, "--log-jsonl", log])
            defer { service.stop() }
            let db = dir + "/remote-\(threads).sqlite"
            let run = try runBotify(["simulate", "--strategy", service.url, "--users", "12", "--sessions", "2", "--seed", "5",
                                     "--threads", threads, "--catalog", catalog, "--db", db])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try sqlite(db, "SELECT group_concat(DISTINCT strategy) FROM sessions") == service.url)
            let sessions = try Int(sqlite(db, "SELECT count(*) FROM sessions"))!
            let recommended = try Int(sqlite(db, "SELECT count(*) FROM plays WHERE position > 0"))!
            #expect(sessions == 24)
            // A healthy service: every pick is the service's own.
            #expect(try Int(sqlite(db, "SELECT count(*) FROM plays WHERE recommended_by = '\(service.url)'")) == recommended)
            let calls = try CourseLog(path: log)
            #expect(calls.next.count == recommended, "one /next per recommended play")
            #expect(calls.last.count == sessions, "one /last per session")
            // Each session's first /next carries its first track with time 1.0, and /last the
            // last track heard with its fraction, as the course's agent sends them.
            let firsts = try sqlite(db, "SELECT group_concat(x, ' ') FROM (SELECT s.user_id || ':' || p.track AS x FROM plays p "
                                    + "JOIN sessions s ON s.id = p.session_id WHERE p.position = 0 ORDER BY x)")
            let lasts = try sqlite(db, "SELECT group_concat(x, ' ') FROM (SELECT s.user_id || ':' || p.track || ':' || p.fraction AS x "
                                   + "FROM plays p JOIN sessions s ON s.id = p.session_id WHERE p.position = s.plays - 1 ORDER BY x)")
            #expect(calls.last.map { "\($0.user):\($0.track):\(Self.decimal($0.time))" }.sorted().joined(separator: " ")
                    == lasts.split(separator: " ").map { Self.normalise(String($0)) }.sorted().joined(separator: " "))
            let firstCalls = calls.next.filter { $0.time == 1.0 }.map { "\($0.user):\($0.track)" }
            for first in firsts.split(separator: " ") { #expect(firstCalls.contains(String(first)), "no first /next for \(first)") }
            #expect(run.stdout.contains("remote \(service.url): \(recommended) /next calls, \(recommended) answered"), "\(run.stdout)")
            #expect(run.stdout.contains("0 fell back to random-fresh; \(sessions) /last calls, 0 failed"), "\(run.stdout)")
            stored.append(try sqlite(db, "SELECT group_concat(x, ' ') FROM (SELECT session_id || ':' || position || ':' || track || ':' "
                                     + "|| fraction AS x FROM plays ORDER BY session_id, position)"))
        }
        #expect(stored[0] == stored[1], "a deterministic service gives the same sessions whatever --threads")
    }

    @Test("ab mixes a remote arm with a local one; the remote arm's plays are the service's")
    func abWithRemoteArm() throws {
        let dir = scratchDirectory("remote-ab")
        let catalog = try csvCatalog(dir)
        let service = try PythonService(script: "examples/course_recommender.py", arguments: ["--catalog", catalog])
        defer { service.stop() }
        let db = dir + "/ab.sqlite"
        let run = try runBotify(["ab", "--experiment", "remote-vs-random", "--arms", "random,\(service.url)", "--users", "20",
                                 "--sessions", "2", "--seed", "2", "--catalog", catalog, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try sqlite(db, "SELECT group_concat(arm || '=' || strategy, ' ') FROM (SELECT DISTINCT arm, strategy FROM sessions ORDER BY arm)")
                .contains("=\(service.url)"))
        #expect(try sqlite(db, "SELECT count(*) FROM plays p JOIN sessions s ON s.id = p.session_id "
                           + "WHERE s.strategy = '\(service.url)' AND p.position > 0 AND p.recommended_by <> '\(service.url)'") == "0")
        #expect(run.stdout.contains("remote \(service.url): "), "\(run.stdout)")
    }

    @Test("a slow, failing or garbage-answering service: every bad answer falls back to random-fresh, is recorded and counted")
    func fallbacksAreRecordedAndCounted() throws {
        let dir = scratchDirectory("remote-flaky")
        let catalog = try csvCatalog(dir)
        let service = try PythonService(script: "Tests/e2e/flaky_recommender.py", arguments: ["--catalog", catalog, "--sleep", "2"])
        defer { service.stop() }
        let db = dir + "/flaky.sqlite"
        let run = try runBotify(["simulate", "--strategy", service.url, "--remote-timeout", "0.3", "--users", "16", "--sessions", "2",
                                 "--seed", "4", "--catalog", catalog, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        var total = 0
        for (cause, label) in [("timeout", "timeout"), ("http-error", "HTTP error"), ("bad-answer", "bad answer"),
                               ("outside-catalog", "outside catalog"), ("repeat", "repeat")] {
            let n = try Int(sqlite(db, "SELECT count(*) FROM plays WHERE recommended_by = 'random-fresh (fallback for \(service.url): \(cause))'"))!
            #expect(n > 0, "no \(cause) fallback recorded")
            #expect(run.stdout.contains("\(label) \(n)"), "summary lacks '\(label) \(n)': \(run.stdout)")
            total += n
        }
        #expect(run.stdout.contains("\(total) fell back to random-fresh ("), "\(run.stdout)")
        // The service's own answers are still used, and nothing repeats within a session.
        #expect(try Int(sqlite(db, "SELECT count(*) FROM plays WHERE recommended_by = '\(service.url)'"))! > 0)
        #expect(try sqlite(db, "SELECT count(*) FROM (SELECT session_id, track FROM plays GROUP BY 1, 2 HAVING count(*) > 1)") == "0")
    }

    @Test("a malformed URL, a service that is not there or a bad --remote-timeout: one botify: line, exit 2, no database")
    func badRemoteStrategies() throws {
        let dir = scratchDirectory("remote-bad")
        let cases: [([String], String)] = [
            (["simulate", "--strategy", "http://127.0.0.1:99999"], "port 99999"),
            (["simulate", "--strategy", "http://127.0.0.1:5001/api"], "path '/api'"),
            (["simulate", "--strategy", "http://"], "not a remote recommender URL"),
            (["simulate", "--strategy", "http://127.0.0.1:1"], "no recommender answers GET http://127.0.0.1:1/"),
            (["ab", "--experiment", "e", "--arms", "random,http://127.0.0.1:1"], "field '--arms'"),
            (["simulate", "--strategy", "random", "--remote-timeout", "0"], "--remote-timeout"),
        ]
        for (i, (arguments, message)) in cases.enumerated() {
            let db = dir + "/bad-\(i).sqlite"
            let run = try runBotify(arguments + ["--users", "2", "--sessions", "1", "--catalog", smallCatalog, "--db", db])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("botify: ") && run.stderr.contains(message), "\(arguments): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db), "\(arguments) created \(db)")
        }
    }

    // MARK: helpers

    /// A 300-track synthetic catalog as CSV, which botify and the Python service both read.
    private func csvCatalog(_ dir: String) throws -> String {
        let path = dir + "/tracks.csv"
        let run = try runBotify(["catalog", "synth", "--tracks", "300", "--seed", "3", "--out", path])
        #expect(run.status == 0, "\(run.stderr)")
        return path
    }

    /// SQLite prints 0.5 as "0.5" and 1.0 as "1.0"; Python's JSON the same.
    private static func decimal(_ x: Double) -> String { x == x.rounded() ? String(format: "%.1f", x) : String(x) }
    private static func normalise(_ entry: String) -> String {
        var parts = entry.split(separator: ":").map(String.init)
        if let x = Double(parts[2]) { parts[2] = decimal(x) }
        return parts.joined(separator: ":")
    }
}

/// The course's data log (`--log-jsonl`): one JSON object per call, `message` "next" or "last".
struct CourseLog {
    struct Call: Decodable {
        var message: String
        var user: Int64
        var track: Int64
        var time: Double
    }
    var next: [Call] = []
    var last: [Call] = []

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for line in text.split(separator: "\n") {
            let call = try JSONDecoder().decode(Call.self, from: Data(line.utf8))
            if call.message == "next" { next.append(call) } else { last.append(call) }
        }
    }
}

/// A Python service of this repository on a free port (it prints "listening on URL" first).
final class PythonService {
    let process = Process()
    let url: String

    init(script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent(script).path, "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // The first line; the pipe is left open (nothing more is printed).
        var data = Data()
        let handle = out.fileHandleForReading
        while !data.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            data += chunk
        }
        let line = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("listening on ") else {
            process.terminate()
            throw ServiceError(description: "\(script) did not start: '\(line)'")
        }
        url = String(line.dropFirst("listening on ".count))
    }

    /// SIGTERM (the service unblocks and handles it), then SIGKILL if it is still up after 5 s.
    func stop() {
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    struct ServiceError: Error, CustomStringConvertible { var description: String }
}
