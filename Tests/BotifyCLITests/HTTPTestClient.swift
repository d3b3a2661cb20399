import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One keep-alive HTTP/1.1 connection to a local `botify serve`, over a plain socket, so a
/// test can send exactly the bytes it means (garbage included) and see that every answer
/// came back on the same connection.
final class HTTPTestClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    }

    struct Closed: Error {}

    private let fd: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func request(_ method: String, _ path: String, body: String? = nil, contentType: String? = "application/json") throws -> Response {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if let body {
            if let contentType { text += "Content-Type: \(contentType)\r\n" }
            text += "Content-Length: \(body.utf8.count)\r\n"
        }
        text += "\r\n" + (body ?? "")
        try send(Array(text.utf8))
        return try readResponse(head: method == "HEAD")
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Closed() }
            offset += n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw Closed() }
        pending.append(contentsOf: chunk[0..<n])
    }

    func readResponse(head: Bool = false) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if pending.count >= 4 {
                end = (0...(pending.count - 4)).first { pending[$0..<($0 + 4)].elementsEqual(separator) }
            }
            if end == nil { try fill() }
        }
        let headText = String(decoding: pending[0..<end!], as: UTF8.self)
        pending.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = head ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        while pending.count < length { try fill() }
        let body = String(decoding: pending[0..<length], as: UTF8.self)
        pending.removeFirst(length)
        return Response(status: status, headers: headers, body: body)
    }
}

/// A `botify serve` started on a free port (`--port 0`), with the port it printed.
final class ServingBotify {
    let running: RunningBotify
    let port: Int
    let firstLine: String

    init(_ arguments: [String]) throws {
        running = try RunningBotify(["serve", "--port", "0"] + arguments)
        let lines = running.waitForLines(timeout: 60) { $0.contains { $0.contains(" on http://") } }
        guard let line = lines.first(where: { $0.contains(" on http://") }),
              let range = line.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = Int(line[range].split(separator: ":").last!) else {
            running.process.terminate()
            let result = running.finish()
            throw ServeStartFailure(output: result.lines.joined(separator: "\n") + result.stderr)
        }
        self.port = port
        firstLine = line
    }

    struct ServeStartFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { "botify serve did not start: \(output)" }
    }

    /// SIGTERM, then everything it printed once it exited.
    func stop(signal: Int32 = SIGTERM) -> (status: Int32, reason: Process.TerminationReason, lines: [String], stderr: String) {
        kill(running.pid, signal)
        return running.finish()
    }
}
