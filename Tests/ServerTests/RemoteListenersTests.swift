import Core
import Experiments
import Foundation
import Recommenders
import Testing
@testable import Server

/// Collects what `RemoteListeners` closes.
final class ClosedSessions: @unchecked Sendable {
    private let lock = NSLock()
    private var logs: [SessionLog] = []
    func add(_ log: SessionLog) { lock.withLock { logs.append(log) } }
    var all: [SessionLog] { lock.withLock { logs } }
}

/// Records every context a strategy is asked with, and answers track 7.
struct RecordingRecommender: Recommender {
    let contexts = ContextLog()
    var name: String { "recording" }
    var summary: String { "records its contexts" }
    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        contexts.add(context)
        return Recommendation(track: 7, reason: "always 7")
    }
}

final class ContextLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [RecommendationContext] = []
    func add(_ c: RecommendationContext) { lock.withLock { items.append(c) } }
    var last: RecommendationContext? { lock.withLock { items.last } }
}

@Suite struct RemoteListenersTests {
    static let catalog = CatalogSynthesizer(tracks: 50, seed: 1).generate()

    func listeners(_ recommender: any Recommender = RecordingRecommender(), idle: Double = 60, limits: ServeLimits = ServeLimits(),
                   closed: ClosedSessions) -> RemoteListeners {
        RemoteListeners(arms: [ServeArm(strategy: "recording", treatment: "C", recommender: recommender)], experiment: nil,
                        catalog: Self.catalog, seed: 0, idleTimeout: idle, limits: limits,
                        assign: { _ in 0 }, onClose: closed.add)
    }

    @Test func aSessionIsTheFirstTrackThenEveryReportedListenUntilLast() {
        let closed = ClosedSessions()
        let l = listeners(closed: closed)
        guard case .next(7, _, nil) = l.next(user: 3, track: 10, fraction: 1, now: 100) else { Issue.record("no pick"); return }
        guard case .next(let pick, _, _) = l.next(user: 3, track: 7, fraction: 0.5, now: 101) else { Issue.record("no pick"); return }
        #expect(pick == 7)
        // The client reports a track this server did not answer: the listener's own pick.
        _ = l.next(user: 3, track: 20, fraction: 0.25, now: 102)
        #expect(l.last(user: 3, track: 7, fraction: 0, now: 103) == .last(treatment: nil))
        let logs = closed.all
        #expect(logs.count == 1)
        let s = logs[0]
        #expect(s.user == 3 && s.source == .remote && s.strategy == "recording" && s.experiment == nil && s.arm == nil)
        #expect(s.startedAt == 100 && s.endedAt == 103)
        #expect(s.plays.map(\.track) == [10, 7, 20, 7])
        #expect(s.plays.map(\.fraction) == [1, 0.5, 0.25, 0])
        #expect(s.plays.map(\.position) == [0, 1, 2, 3])
        #expect(s.plays.map(\.recommendedBy) == [nil, "recording", nil, "recording"])
        #expect(s.plays.map(\.outcome) == [.listened, .skipped, .skipped, .skipped])
        #expect(l.openSessions == 0)
    }

    @Test func theContextIsTheLastTenListensSplitIntoSessionAndHistory() {
        let closed = ClosedSessions()
        let recommender = RecordingRecommender()
        let l = listeners(recommender, closed: closed)
        for i in 0..<8 { _ = l.next(user: 1, track: TrackID(i), fraction: 1, now: Double(i)) }
        _ = l.last(user: 1, track: 8, fraction: 1, now: 8)
        _ = l.next(user: 1, track: 30, fraction: 1, now: 9)
        _ = l.next(user: 1, track: 31, fraction: 0.5, now: 10)
        let context = try! #require(recommender.contexts.last)
        #expect(context.session.map(\.track) == [30, 31])
        #expect(context.session.map(\.fraction) == [1, 0.5])
        // 10 in all: the newest 8 of the earlier session's 9 listens.
        #expect(context.history.map(\.track) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(context.user == 1)
    }

    @Test func idleSessionsCloseAndUsersAreForgotten() {
        let closed = ClosedSessions()
        var limits = ServeLimits()
        limits.forgetAfter = 100
        let l = listeners(idle: 5, limits: limits, closed: closed)
        _ = l.next(user: 1, track: 1, fraction: 1, now: 0)
        _ = l.next(user: 2, track: 2, fraction: 1, now: 3)
        #expect(l.closeIdle(now: 6) == 1)
        #expect(closed.all.map(\.user) == [1])
        #expect(l.openSessions == 1)
        #expect(l.closeAll() == 1)
        #expect(closed.all.map(\.user) == [1, 2])
    }

    @Test func limitsBoundUsersAndSessionLength() {
        let closed = ClosedSessions()
        var limits = ServeLimits()
        limits.users = 2
        limits.playsPerSession = 3
        limits.forgetAfter = 10
        let l = listeners(limits: limits, closed: closed)
        _ = l.next(user: 1, track: 1, fraction: 1, now: 0)
        _ = l.next(user: 2, track: 1, fraction: 1, now: 0)
        guard case .full = l.next(user: 3, track: 1, fraction: 1, now: 0) else { Issue.record("third user admitted"); return }
        for i in 0..<5 { _ = l.next(user: 1, track: TrackID(i), fraction: 1, now: 1) }
        // 6 plays for user 1 at 3 per session: the first session was written when full.
        #expect(closed.all.map(\.plays.count) == [3])
        _ = l.last(user: 2, track: 1, fraction: 1, now: 1)
        _ = l.closeAll()
        #expect(l.closeIdle(now: 20) == 0)
        // Both forgotten: a new user fits again.
        guard case .next = l.next(user: 3, track: 1, fraction: 1, now: 21) else { Issue.record("not admitted after forgetting"); return }
    }

    @Test func experimentArmsFollowTheCourseAssignment() {
        let closed = ClosedSessions()
        let catalog = Self.catalog
        let inputs = StrategyInputs(catalog: catalog)
        let arms = try! ["random", "top-pop", "sticky-artist"].enumerated().map {
            ServeArm(strategy: $1, treatment: ServeArm.treatment(ofArm: $0), recommender: try StrategyRegistry.standard.make($1, inputs: inputs))
        }
        let assignment = ArmAssignment(experiment: "I2I", arms: 3)
        let l = RemoteListeners(arms: arms, experiment: "I2I", catalog: catalog, seed: 0, idleTimeout: 60,
                                assign: { assignment.arm(of: $0) }, onClose: closed.add)
        for user in Int64(0)..<30 {
            guard case .next(_, _, let treatment) = l.next(user: user, track: 0, fraction: 1, now: 0) else { Issue.record("no pick"); return }
            #expect(treatment == ["C", "T1", "T2"][assignment.arm(of: user)])
            _ = l.last(user: user, track: 1, fraction: 1, now: 1)
        }
        for log in closed.all {
            #expect(log.experiment == "I2I")
            #expect(log.arm == arms[assignment.arm(of: log.user)].strategy && log.strategy == log.arm)
        }
        #expect(Set(closed.all.map(\.arm)).count == 3)
    }
}

@Suite struct ListenBodyTests {
    func parse(_ text: String) -> Result<ListenBody, ListenBody.Failure> { ListenBody.parse(Array(text.utf8)) }

    @Test func readsTheCourseBody() throws {
        #expect(try parse(#"{"track": 12, "time": 0.75}"#).get() == ListenBody(track: 12, time: 0.75))
        #expect(try parse(#"{"time": 1, "track": "12"}"#).get() == ListenBody(track: 12, time: 1))
        #expect(try parse(#"{"track": 12.0, "time": "0.5"}"#).get() == ListenBody(track: 12, time: 0.5))
    }

    @Test func failuresNameTheFieldAsReqparseDoes() {
        let missing = ListenBody.missing
        #expect(parse("") == .failure(.init(field: "track", message: missing)))
        #expect(parse("not json") == .failure(.init(field: "track", message: missing)))
        #expect(parse("[1, 2]") == .failure(.init(field: "track", message: missing)))
        #expect(parse(#"{"time": 1}"#) == .failure(.init(field: "track", message: missing)))
        #expect(parse(#"{"track": 1}"#) == .failure(.init(field: "time", message: missing)))
        for bad in [#"{"track": "x", "time": 1}"#, #"{"track": null, "time": 1}"#, #"{"track": true, "time": 1}"#, #"{"track": [1], "time": 1}"#] {
            guard case .failure(let f) = parse(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(f.field == "track")
        }
        for bad in [#"{"track": 1, "time": 1.5}"#, #"{"track": 1, "time": -0.1}"#, #"{"track": 1, "time": "abc"}"#, #"{"track": 1, "time": false}"#] {
            guard case .failure(let f) = parse(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(f.field == "time")
        }
    }
}

/// The direct reader of flat number objects agrees with Foundation's JSON on every body: a
/// seeded mix of the course's bodies and near misses (other spacing, key order, extra keys,
/// strings, literals, escapes, bad numbers, truncation).
@Suite struct ListenBodyFastPathTests {
    static let values = ["12", "0", "-3", "12.0", "12.5", "1e3", "1E-2", "0.75", "1", "1.0", "0.0", "-0", "01", "1.", ".5", "+1",
                         "2e", "9007199254740993", "12345678901234567890", "1e400", "0.30000000000000004", "\"12\"",
                         "\"0.5\"", "null", "true", "false", "[1]", "{}", "NaN", "Infinity", "1.5", "-0.1"]
    static let keys = ["\"track\"", "\"time\"", "\"user\"", "\"tr\\u0061ck\"", "\"trackk\"", "\"tïme\"", "track"]
    static let spaces = ["", " ", "\n", "\t ", "\r\n"]

    static func body(_ rng: inout SeededGenerator) -> String {
        func pick(_ xs: [String]) -> String { xs[rng.nextIndex(xs.count)] }
        let common = ["{\"track\": \(rng.nextIndex(50_000)), \"time\": \(Double(rng.nextIndex(101)) / 100)}"]
        if rng.nextIndex(4) == 0 { return pick(common) }
        var fields: [String] = []
        for _ in 0..<rng.nextIndex(4) {
            fields.append(pick(spaces) + pick(keys) + pick(spaces) + ":" + pick(spaces) + pick(values) + pick(spaces))
        }
        var text = pick(spaces) + "{" + fields.joined(separator: ",") + "}" + pick(spaces)
        switch rng.nextIndex(8) {
        case 0: text = String(text.dropLast(rng.nextIndex(max(1, text.count))))
        case 1: text += pick(["x", ",", "}", " 1"])
        default: break
        }
        return text
    }

    @Test func agreesWithFoundationOnRandomBodies() {
        var rng = SeededGenerator(seed: 15)
        var fast = 0
        for _ in 0..<4_000 {
            let text = Self.body(&rng)
            let bytes = Array(text.utf8)
            if FlatNumberObject.read(bytes) != nil { fast += 1 }
            #expect(ListenBody.parse(bytes) == ListenBody.parseAnyJSON(bytes), "\(text.debugDescription)")
        }
        #expect(fast > 1_000, "the direct path read only \(fast) bodies")
    }
}

@Suite struct CourseLogTests {
    @Test func linesAreTheCourseFormat() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("courselog-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try CourseLog(path: path)
        log.log(isNext: true, timestampMillis: 1_764_763_200_123, user: 7, track: 12, time: 1, latency: 4.1e-05, recommendation: 845,
                experiment: (name: "HSTU", treatment: "C"))
        log.log(isNext: false, timestampMillis: 1_764_763_200_124, user: 7, track: 845, time: 0.5, latency: 0.25, recommendation: nil,
                experiment: nil)
        try log.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == """
            {"message": "next", "timestamp": 1764763200123, "user": 7, "track": 12, "time": 1.0, "latency": 4.1e-05, "recommendation": 845, "experiments": {"HSTU": "C"}}
            {"message": "last", "timestamp": 1764763200124, "user": 7, "track": 845, "time": 0.5, "latency": 0.25, "recommendation": null, "experiments": {}}

            """)
    }

    @Test func stringsEscapeAsJsonDumps() {
        #expect(CourseLog.quoted("a\"b\\c\né") == #""a\"b\\c\n\u00e9""#)
    }
}
