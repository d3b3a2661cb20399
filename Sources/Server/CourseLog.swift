import Foundation

/// The course service's data log (`botify/data.py`: python-json-logger lines through a
/// queue), so the course's notebooks read botify's traffic unchanged. One JSON object per
/// call, keys in the course's order, `json.dumps` spacing:
///
///     {"message": "next", "timestamp": 1764763200123, "user": 7, "track": 12, "time": 1.0,
///      "latency": 0.000041, "recommendation": 845, "experiments": {"HSTU": "C"}}
///
/// `/last` lines have `"recommendation": null`. Handlers append to a buffer under a lock; a
/// thread writes it out every 50 ms, so a slow disk never stalls a request. `close` writes
/// the rest and syncs the file.
public final class CourseLog: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var failure: (any Error)?
    private var worker: PeriodicWorker!
    private let handle: FileHandle
    public let path: String

    /// Opens `path` for appending (created if missing).
    public init(path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        let handle = self.handle
        worker = PeriodicWorker(name: "botify.serve-log", interval: 0.05) { [self] _ in
            let chunk = lock.withLock { () -> [UInt8] in
                defer { buffer = [] }
                return buffer
            }
            guard !chunk.isEmpty else { return true }
            do { try handle.write(contentsOf: chunk) } catch {
                lock.withLock { failure = failure ?? error }
            }
            return true
        }
    }

    /// One call, as the course logs it. `experiments` is `[(name, treatment)]`.
    public func log(_ location: String, timestampMillis: Int64, user: Int64, track: Int64, time: Double,
                    latency: Double, recommendation: Int64?, experiments: [(String, String)]) {
        var line = "{\"message\": \"\(location)\", \"timestamp\": \(timestampMillis), \"user\": \(user), \"track\": \(track), "
        line += "\"time\": \(Self.pythonFloat(time)), \"latency\": \(Self.pythonFloat(latency)), \"recommendation\": "
        line += recommendation.map(String.init) ?? "null"
        line += ", \"experiments\": {"
        line += experiments.map { "\(Self.quoted($0.0)): \(Self.quoted($0.1))" }.joined(separator: ", ")
        line += "}}\n"
        lock.withLock { buffer.append(contentsOf: line.utf8) }
    }

    /// Writes what is buffered, syncs, stops the thread; rethrows a write failure.
    public func close() throws {
        worker.stop()
        let failure = lock.withLock { self.failure }
        try? handle.synchronize()
        try? handle.close()
        if let failure { throw failure }
    }

    /// Python's `repr` of a float, which `json.dumps` writes: the shortest text that reads back
    /// the same, with `.0` on whole numbers (Swift's `description` is that text).
    static func pythonFloat(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        return value.description
    }

    /// A JSON string with `json.dumps`'s default escaping (non-ASCII as \uXXXX).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }
}
