import Core
import Foundation
import Hummingbird

/// The course service's routes (`botify/botify/server.py`), answered the way Flask and
/// Flask-RESTful answer them: JSON bodies ending in a newline, 404 for a path no route
/// matches (a user or track that is not a non-negative integer included, as Flask's `int`
/// converter refuses it), 405 for a route called with another method, 400
/// `{"message": {field: text}}` for a bad body. Hummingbird parses HTTP; this only dispatches.
struct CourseProtocolResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let listeners: RemoteListeners
    let log: CourseLog?
    let greeting: String
    /// Largest body read; a longer one is a 413 (the course sends about 30 bytes).
    static let maxBody = 64 * 1024

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        // "/" → ["", ""]; "/next/7" → ["", "next", "7"].
        guard parts.count >= 2, parts[0].isEmpty else { return Self.notFound }
        if parts.count == 2 && parts[1].isEmpty {
            guard request.method == .get || request.method == .head else { return Self.notAllowed }
            return Self.json(.ok, "{\"status\": \"alive\", \"message\": \(CourseLog.quoted(greeting))}")
        }
        guard parts.count == 3, let id = Self.pathInteger(parts[2]) else { return Self.notFound }
        switch parts[1] {
        case "track":
            guard request.method == .get || request.method == .head else { return Self.notAllowed }
            return track(id)
        case "next", "last":
            guard request.method == .post else { return Self.notAllowed }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxBody)
            } catch {
                return Self.json(.contentTooLarge, "{\"message\": \"the body is over \(Self.maxBody) bytes\"}")
            }
            let parsed = ListenBody.parse(Array(body.readableBytesView))
            switch parsed {
            case .failure(let failure):
                return Self.json(.badRequest, "{\"message\": {\(CourseLog.quoted(failure.field)): \(CourseLog.quoted(failure.message))}}")
            case .success(let listen):
                return listenCall(parts[1] == "next", user: id, listen, started: started)
            }
        default:
            return Self.notFound
        }
    }

    private func track(_ id: Int64) -> Response {
        let catalog = listeners.catalog
        guard id < catalog.count else {
            // Flask-RESTful's abort(404, description=...) answers with the keyword as the key.
            return Self.json(.notFound, "{\"description\": \"Track not found\"}")
        }
        let t = TrackID(id)
        return Self.json(.ok, "{\"track\": \(id), \"artist\": \(CourseLog.quoted(catalog.artistName(t))), \"title\": \(CourseLog.quoted(catalog.title(t))), \"recommendations\": []}")
    }

    private func listenCall(_ isNext: Bool, user: Int64, _ listen: ListenBody, started: ContinuousClock.Instant) -> Response {
        guard listen.track >= 0, listen.track < listeners.catalog.count else {
            return Self.json(.notFound, "{\"message\": \"track \(listen.track) is not in the catalog (ids 0 to \(listeners.catalog.count - 1))\"}")
        }
        let now = Date().timeIntervalSince1970
        let track = TrackID(listen.track), fraction = Float(listen.time)
        let result = isNext ? listeners.next(user: user, track: track, fraction: fraction, now: now)
                            : listeners.last(user: user, track: track, fraction: fraction, now: now)
        let answer: String, recommendation: Int64?, treatment: String?
        switch result {
        case .full(let message):
            return Self.json(.serviceUnavailable, "{\"message\": \(CourseLog.quoted(message))}")
        case .next(let pick, _, let arm):
            answer = "{\"user\": \(user), \"track\": \(pick)}"
            recommendation = Int64(pick)
            treatment = arm
        case .last(let arm):
            answer = "{\"user\": \(user)}"
            recommendation = nil
            treatment = arm
        }
        if let log {
            let elapsed = started.duration(to: .now)
            log.log(isNext: isNext, timestampMillis: Int64((now * 1000).rounded(.down)), user: user, track: listen.track,
                    time: listen.time, latency: elapsed.seconds, recommendation: recommendation,
                    experiment: listeners.experiment.flatMap { name in treatment.map { (name: name, treatment: $0) } })
        }
        return Self.json(.ok, answer)
    }

    /// Flask's `int` converter: ASCII digits only (no sign), here also within Int64.
    static func pathInteger(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static var notFound: Response { json(.notFound, "{\"message\": \"The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.\"}") }
    static var notAllowed: Response { json(.methodNotAllowed, "{\"message\": \"The method is not allowed for the requested URL.\"}") }
}
