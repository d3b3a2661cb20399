import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A `botify` process whose standard output is read line by line while it runs, so a test can
/// act on an acknowledgement the moment it is printed (kill the process, start a reader).
final class RunningBotify: @unchecked Sendable {
    // @unchecked: the mutable state below is only touched while holding `condition`.
    let process = Process()
    private let condition = NSCondition()
    private var lines: [String] = []
    private var partial = Data()
    private var outputDone = false
    private var errorData: Data?

    init(_ arguments: [String]) throws {
        process.executableURL = botifyBinary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = out.fileHandleForReading, error = err.fileHandleForReading
        Thread { [self] in
            while true {
                let chunk = output.availableData
                condition.withLock {
                    if chunk.isEmpty {
                        if !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
                        outputDone = true
                    } else {
                        partial.append(chunk)
                        while let newline = partial.firstIndex(of: 0x0A) {
                            lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
                            partial = Data(partial[partial.index(after: newline)...])
                        }
                    }
                    condition.broadcast()
                }
                if chunk.isEmpty { return }
            }
        }.start()
        Thread { [self] in
            let data = error.readDataToEndOfFile()
            condition.withLock {
                errorData = data
                condition.broadcast()
            }
        }.start()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits until `done` holds for the lines printed so far, output ends, or `timeout` passes;
    /// returns the lines printed so far.
    @discardableResult
    func waitForLines(timeout: TimeInterval, until done: ([String]) -> Bool) -> [String] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done(lines) && !outputDone && condition.wait(until: deadline) {}
        return lines
    }

    /// Waits for the process to exit and both pipes to close; returns everything it printed.
    func finish() -> (status: Int32, reason: Process.TerminationReason, lines: [String], stderr: String) {
        process.waitUntilExit()
        condition.lock()
        defer { condition.unlock() }
        while !outputDone || errorData == nil { condition.wait() }
        return (process.terminationStatus, process.terminationReason, lines, String(decoding: errorData!, as: UTF8.self))
    }
}

/// One `committed batch …` line of `botify simulate`: printed only after COMMIT returned.
struct Acknowledgement: Equatable {
    var batch: Int
    var sessions: Int
    var plays: Int
    var ids: ClosedRange<Int64>

    nonisolated(unsafe) private static let pattern = #/^committed batch (\d+): (\d+) sessions, (\d+) plays \(session ids (\d+)–(\d+)\)$/#

    init?(_ line: String) {
        guard let m = line.wholeMatch(of: Self.pattern), let low = Int64(m.4), let high = Int64(m.5), low <= high
        else { return nil }
        batch = Int(m.1)!
        sessions = Int(m.2)!
        plays = Int(m.3)!
        ids = low...high
    }

    static func all(_ lines: [String]) -> [Acknowledgement] { lines.compactMap(Acknowledgement.init) }
}

/// Runs the `sqlite3` shell on `database` — a reader independent of botify's own code — and
/// returns its output without the final newline.
func sqlite(_ database: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", "-batch", "-cmd", ".timeout 5000", database, sql]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else { throw SQLiteShellError(sql: sql, output: text) }
    return text.hasSuffix("\n") ? String(text.dropLast()) : text
}

struct SQLiteShellError: Error, CustomStringConvertible {
    var sql: String
    var output: String
    var description: String { "sqlite3 failed on '\(sql)': \(output)" }
}

/// A fresh scratch directory per test.
func scratchDirectory(_ label: String) -> String {
    let path = NSTemporaryDirectory() + "botify-\(label)-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A 2,000-track synthetic catalog, made once per test run: building a world over the shipped
/// 26k tracks takes too long in a debug build.
let smallCatalog: String = {
    let path = scratchDirectory("small-catalog") + "/small.botcat"
    let run = try! runBotify(["catalog", "synth", "--tracks", "2000", "--seed", "1", "--out", path])
    precondition(run.status == 0, "catalog synth failed: \(run.stderr)")
    return path
}()
