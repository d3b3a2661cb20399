import Foundation

/// What one run of the real `botify` binary did.
struct BotifyResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The repository checkout these tests belong to (for `catalog/tracks.csv` and friends).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `botify` executable built with the tests: `$BOTIFY_BINARY` if set, else the first
/// `botify` found walking up from the test bundle (SwiftPM puts both in `.build/<config>/`),
/// else `.build/debug/botify` in the checkout.
let botifyBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["BOTIFY_BINARY"] { return URL(fileURLWithPath: path) }
    let fm = FileManager.default
    for start in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()] {
        var dir = start
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("botify")
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
            dir = dir.deletingLastPathComponent()
        }
    }
    return repositoryRoot.appendingPathComponent(".build/debug/botify")
}()

/// Runs `botify` with `arguments`, `environment` added to (or, with `inherit: false`, replacing)
/// this process's, and optional standard input; waits for it and returns status and output.
/// Both pipes are drained concurrently, so a chatty command cannot deadlock on a full pipe.
func runBotify(_ arguments: [String], environment: [String: String] = [:], inherit: Bool = true,
               stdin: String? = nil, currentDirectory: URL? = nil) throws -> BotifyResult {
    let process = Process()
    process.executableURL = botifyBinary
    process.arguments = arguments
    var env = inherit ? ProcessInfo.processInfo.environment : [:]
    env.merge(environment) { _, new in new }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    }
    let errorData = ErrorCollector()
    let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return BotifyResult(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                        stderr: String(decoding: errorData.wait(), as: UTF8.self))
}

/// Hands the stderr bytes from the reading thread back to the caller.
private final class ErrorCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
