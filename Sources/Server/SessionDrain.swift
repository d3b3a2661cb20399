import Core
import Foundation

/// Carries closed sessions from the request handlers to a `SessionSink` (Storage's
/// `BatchSessionWriter`) on its own thread, so a request never waits for SQLite: a handler
/// only appends to an array under a lock. Every `interval` the thread hands what arrived to
/// the sink and flushes it (one transaction). `close` drains the rest and returns once it is
/// committed, which is how SIGTERM loses nothing.
public final class SessionDrain: @unchecked Sendable {
    private let lock = NSLock()
    private var queued: [SessionLog] = []
    private var failure: (any Error)?
    private var sessions = 0
    private var plays = 0
    private let sink: any SessionSink
    private var worker: PeriodicWorker!

    /// `onFailure` runs once on the drain thread when the sink throws; the drain then stops
    /// (what it still holds would never be acknowledged).
    public init(sink: any SessionSink, interval: Double = 0.1, onFailure: @escaping @Sendable (any Error) -> Void) {
        self.sink = sink
        worker = PeriodicWorker(name: "botify.serve-drain", interval: interval) { [self] last in
            let batch = lock.withLock { () -> [SessionLog] in
                defer { queued = [] }
                return queued
            }
            do {
                for log in batch { try self.sink.append(log) }
                if !batch.isEmpty || last { try self.sink.flush() }
                lock.withLock {
                    sessions += batch.count
                    plays += batch.reduce(0) { $0 + $1.plays.count }
                }
                return true
            } catch {
                lock.withLock { failure = error }
                onFailure(error)
                return false
            }
        }
    }

    /// Queues a closed session; never blocks on the database.
    public func enqueue(_ log: SessionLog) {
        lock.withLock { queued.append(log) }
    }

    /// Sessions and plays committed so far.
    public var committed: (sessions: Int, plays: Int) { lock.withLock { (sessions, plays) } }

    /// Commits everything queued, stops the thread, and rethrows a sink failure.
    public func close() throws {
        worker.stop()
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
