import Core
import Foundation
import GRDB
@testable import Storage

/// A fresh directory per test, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "botify-storage-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A deterministic session: `count` plays, the first listened, then skipped and listened in turn.
func sampleLog(user: Int64, plays count: Int, strategy: String = "random", source: ListenerSource = .sim,
               experiment: String? = nil, arm: String? = nil, start: Double = 1_700_000_000,
               firstTrack: Int32 = 0) -> SessionLog {
    let plays = (0..<count).map { i in
        let listened = i % 2 == 0
        return Play(position: Int32(i), track: firstTrack + Int32(i), fraction: listened ? 1 : 0.25,
                    outcome: listened ? .listened : .skipped, recommendedBy: i == 0 ? nil : strategy,
                    latencyMicros: Float(i))
    }
    return SessionLog(user: user, strategy: strategy, source: source, experiment: experiment, arm: arm, seed: 42,
                      startedAt: start, endedAt: start + Double(count), plays: plays)
}

/// A plain GRDB connection that bypasses botify's checks (to inspect files and forge bad ones).
struct RawDatabase {
    let queue: DatabaseQueue
    init(_ path: String) throws { queue = try DatabaseQueue(path: path) }
    func execute(_ sql: String) throws { try queue.writeWithoutTransaction { try $0.execute(sql: sql) } }
    func int(_ sql: String) throws -> Int? { try queue.read { try Int.fetchOne($0, sql: sql) } }
    func string(_ sql: String) throws -> String? { try queue.read { try String.fetchOne($0, sql: sql) } }
}

func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
