import AsyncHTTPClient
import Core
import Foundation
import NIOCore
import NIOHTTP1

/// Why a call to a remote recommender gave no usable track (docs/REMOTE.md, "Fallbacks").
public enum RemoteFailure: String, CaseIterable, Sendable {
    /// No complete answer within the per-call timeout (`--remote-timeout`).
    case timeout
    /// The connection failed (refused, reset, closed before an answer).
    case unreachable
    /// An HTTP status other than 200 (the course's i2i answers 500 when only zero-time anchors
    /// are left).
    case httpError = "http-error"
    /// A 200 whose body is not JSON with an integer `track`.
    case badAnswer = "bad-answer"
    /// A track id that is not a row of the catalog.
    case outsideCatalog = "outside-catalog"
    /// A track already played in this session.
    case `repeat`

    /// For summaries: "timeout", "HTTP error", …
    public var label: String {
        switch self {
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .httpError: "HTTP error"
        case .badAnswer: "bad answer"
        case .outsideCatalog: "outside catalog"
        case .repeat: "repeat"
        }
    }
}

/// What one endpoint saw during a run; the run's summary prints it.
public struct RemoteCounts: Sendable, Equatable {
    /// `/next` calls made (answered or not).
    public var next = 0
    /// `/next` calls answered with a usable track.
    public var answered = 0
    /// Summed round trip of the answered `/next` calls, in nanoseconds.
    public var answeredNanoseconds: UInt64 = 0
    /// `/next` calls that fell back, by cause.
    public var fallbacks: [RemoteFailure: Int] = [:]
    /// `/last` calls made, and those that failed (nothing falls back: the session is over).
    public var last = 0
    public var lastFailures: [RemoteFailure: Int] = [:]

    public var fallbackTotal: Int { fallbacks.values.reduce(0, +) }
    public var meanMilliseconds: Double { answered > 0 ? Double(answeredNanoseconds) / Double(answered) / 1e6 : 0 }
}

/// One remote recommender service: its base URL, the process's pooled keep-alive HTTP client,
/// the per-call timeout, and the counts of a run. Calls block the calling thread until the
/// answer or the deadline (`Recommender.next` is synchronous); several simulator threads make
/// several calls at once over the pool's connections.
public final class RemoteEndpoint: @unchecked Sendable {
    /// "http://127.0.0.1:5001" (no trailing slash); paths are appended to it.
    public let base: String
    public let timeout: Duration
    private let lock = NSLock()
    private var counts = RemoteCounts()

    /// The longest answer read; a service that sends more is answering garbage, and memory
    /// stays bounded whatever it sends.
    static let maxBody = 64 * 1024

    /// One client for the process: connections are kept alive and reused across calls,
    /// endpoints and threads. Never shut down (it lives as long as the process).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        // One connection per simulator thread in flight; idle ones stay open between sessions.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public init(base: String, timeout: Duration) {
        self.base = base
        self.timeout = timeout
    }

    public var snapshot: RemoteCounts { lock.withLock { counts } }

    /// Answers already given, by the exact question (user, earlier plays, this session so far),
    /// so asking again replays the answer instead of sending the service a call it would record
    /// as a listen. Neither the simulator nor the player asks one question twice (the player
    /// draws nothing ahead for a remote strategy: `answersAhead`); this keeps that true for any
    /// caller. Cleared when full, so memory stays bounded.
    private var answers: [Int: Int64] = [:]
    static let maxAnswers = 4_096

    func answer(to question: Int) -> Int64? { lock.withLock { answers[question] } }

    func remember(_ track: Int64, for question: Int) {
        lock.withLock {
            if answers.count >= Self.maxAnswers { answers.removeAll(keepingCapacity: true) }
            answers[question] = track
        }
    }

    /// Any HTTP answer to `GET /` (the course's "alive" route) within the timeout; a connection
    /// failure or a timeout is returned as the reason.
    public func probe() -> (failure: RemoteFailure, detail: String)? {
        switch call(method: .GET, path: "/", body: nil) {
        case .success: return nil
        case .failure(let f): return (f.kind, f.detail)
        }
    }

    /// `POST /next/<user>` with `{"track", "time"}`; the answer's `track`, or why not.
    func next(user: Int64, track: TrackID, time: Float) -> Result<Int64, CallFailure> {
        let result = call(method: .POST, path: "/next/\(user)", body: Self.body(track: track, time: time))
            .flatMap(Self.track(from:))
        lock.withLock {
            counts.next += 1
            // A success is counted as answered by the caller once its track passes the checks.
            if case .failure(let f) = result { counts.fallbacks[f.kind, default: 0] += 1 }
        }
        return result
    }

    /// Records an answered `/next` (its track passed the checks) and its round trip.
    func answered(after elapsed: Duration) {
        let ns = UInt64(max(0, elapsed.seconds * 1e9))
        lock.withLock {
            counts.answered += 1
            counts.answeredNanoseconds += ns
        }
    }

    /// Records a `/next` whose track failed a check after the call itself succeeded.
    func rejected(_ kind: RemoteFailure) {
        lock.withLock { counts.fallbacks[kind, default: 0] += 1 }
    }

    /// `POST /last/<user>` with the session's last track and the fraction heard.
    func last(user: Int64, track: TrackID, time: Float) {
        let result = call(method: .POST, path: "/last/\(user)", body: Self.body(track: track, time: time))
        lock.withLock {
            counts.last += 1
            if case .failure(let f) = result { counts.lastFailures[f.kind, default: 0] += 1 }
        }
    }

    struct CallFailure: Error {
        var kind: RemoteFailure
        /// "timed out after 1 s", "answered HTTP 500", …
        var detail: String
    }

    /// The course agent's body: `{"track": 12, "time": 0.53}` (the fraction as its shortest
    /// decimal, as Python prints the rounded float).
    static func body(track: TrackID, time: Float) -> String { "{\"track\": \(track), \"time\": \(time)}" }

    private struct Answer: Decodable { var track: Int64 }

    static func track(from body: ByteBuffer) -> Result<Int64, CallFailure> {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView)) else {
            let text = String(decoding: body.readableBytesView.prefix(40), as: UTF8.self)
            return .failure(CallFailure(kind: .badAnswer, detail: "answered no integer \"track\" (\(text.debugDescription))"))
        }
        return .success(answer.track)
    }

    private func call(method: HTTPMethod, path: String, body: String?) -> Result<ByteBuffer, CallFailure> {
        let request: HTTPClient.Request
        do {
            var headers = HTTPHeaders([("Accept", "application/json")])
            if body != nil { headers.add(name: "Content-Type", value: "application/json") }
            request = try HTTPClient.Request(url: base + path, method: method, headers: headers, body: body.map { HTTPClient.Body.string($0) })
        } catch {
            return .failure(CallFailure(kind: .unreachable, detail: "cannot request \(base + path): \(error)"))
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.seconds * 1e9))
        let response: HTTPClient.Response
        do {
            response = try Self.client.execute(request: request,
                                               delegate: ResponseAccumulator(request: request, maxBodySize: Self.maxBody),
                                               deadline: deadline).futureResult.wait()
        } catch let error as HTTPClientError
                    where error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout {
            return .failure(CallFailure(kind: .timeout, detail: "timed out after \(Self.format(timeout))"))
        } catch is ResponseAccumulator.ResponseTooBigError {
            return .failure(CallFailure(kind: .badAnswer, detail: "answered more than \(Self.maxBody) bytes"))
        } catch {
            return .failure(CallFailure(kind: .unreachable, detail: "unreachable (\(error))"))
        }
        guard response.status == .ok else {
            return .failure(CallFailure(kind: .httpError, detail: "answered HTTP \(response.status.code)"))
        }
        return .success(response.body ?? ByteBuffer())
    }

    /// "1 s", "0.25 s".
    static func format(_ d: Duration) -> String {
        String(format: "%g s", d.seconds)
    }
}
