import Foundation

/// The course service's data log (`botify/data.py`: python-json-logger lines through a
/// queue), so the course's notebooks read botify's traffic unchanged. One JSON object per
/// call, keys in the course's order, `json.dumps` spacing:
///
///     {"message": "next", "timestamp": 1764763200123, "user": 7, "track": 12, "time": 1.0,
///      "latency": 0.000041, "recommendation": 845, "experiments": {"HSTU": "C"}}
///
/// `/last` lines have `"recommendation": null`. A handler only appends the call's numbers to
/// an array under a lock; a thread turns them into text and writes them out every 50 ms, so
/// neither the encoding nor a slow disk is on a request's path. `close` writes the rest and
/// syncs the file.
public final class CourseLog: @unchecked Sendable {
    /// One logged call, as the handler saw it; encoded later on the log thread.
    struct Entry {
        var isNext: Bool
        var timestampMillis: Int64
        var user: Int64
        var track: Int64
        var time: Double
        var latency: Double
        var recommendation: Int64?
        var experiment: (name: String, treatment: String)?
    }

    private let lock = NSLock()
    private var pending: [Entry] = []
    private var failure: (any Error)?
    private var worker: PeriodicWorker!
    private let handle: FileHandle
    public let path: String
    // Only the log thread touches these; their capacity is kept from one write to the next.
    private var taken: [Entry] = []
    private var encoded: [UInt8] = []

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
        worker = PeriodicWorker(name: "botify.serve-log", interval: 0.05) { [self] _ in
            writePending()
            return true
        }
    }

    /// One call, as the course logs it: `/next` (`isNext`) or `/last`, and the experiment the
    /// user is in with their treatment, if the server runs one.
    public func log(isNext: Bool, timestampMillis: Int64, user: Int64, track: Int64, time: Double,
                    latency: Double, recommendation: Int64?, experiment: (name: String, treatment: String)?) {
        let entry = Entry(isNext: isNext, timestampMillis: timestampMillis, user: user, track: track, time: time,
                          latency: latency, recommendation: recommendation, experiment: experiment)
        lock.withLock { pending.append(entry) }
    }

    private func writePending() {
        lock.withLock { swap(&pending, &taken) }
        guard !taken.isEmpty else { return }
        for entry in taken { Self.encode(entry, into: &encoded) }
        taken.removeAll(keepingCapacity: true)
        do { try handle.write(contentsOf: encoded) } catch {
            lock.withLock { failure = failure ?? error }
        }
        encoded.removeAll(keepingCapacity: true)
    }

    /// The course's line for `entry`, keys in its order, `json.dumps` spacing.
    static func encode(_ entry: Entry, into out: inout [UInt8]) {
        out.append(contentsOf: entry.isNext ? #"{"message": "next", "timestamp": "#.utf8 : #"{"message": "last", "timestamp": "#.utf8)
        out.append(contentsOf: String(entry.timestampMillis).utf8)
        out.append(contentsOf: #", "user": "#.utf8)
        out.append(contentsOf: String(entry.user).utf8)
        out.append(contentsOf: #", "track": "#.utf8)
        out.append(contentsOf: String(entry.track).utf8)
        out.append(contentsOf: #", "time": "#.utf8)
        out.append(contentsOf: pythonFloat(entry.time).utf8)
        out.append(contentsOf: #", "latency": "#.utf8)
        out.append(contentsOf: pythonFloat(entry.latency).utf8)
        out.append(contentsOf: #", "recommendation": "#.utf8)
        out.append(contentsOf: (entry.recommendation.map(String.init) ?? "null").utf8)
        out.append(contentsOf: #", "experiments": {"#.utf8)
        if let experiment = entry.experiment {
            out.append(contentsOf: quoted(experiment.name).utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: quoted(experiment.treatment).utf8)
        }
        out.append(contentsOf: "}}\n".utf8)
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
