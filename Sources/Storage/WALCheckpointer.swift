import Foundation
import GRDB

/// Copies the WAL back into the database file on its own thread and connection, so the batch
/// writer never stalls on a checkpoint's reads, writes and fsyncs (they cost it about a fifth
/// of its wall time). Checkpoints are PASSIVE: they never block the writer or readers, and
/// frames that cannot be copied yet wait for the next round. A failed round loses nothing —
/// committed transactions are in the WAL — so it is retried on the next request, not reported.
final class WALCheckpointer: Sendable {
    private let state = CheckpointState()

    init(path: String) {
        let state = self.state
        let thread = Thread {
            var queue: DatabaseQueue?
            while state.nextRound() {
                do {
                    if queue == nil {
                        var configuration = Configuration()
                        configuration.busyMode = .timeout(BotifyDatabase.busyTimeout)
                        queue = try DatabaseQueue(path: path, configuration: configuration)
                    }
                    try queue?.writeWithoutTransaction { _ = try $0.checkpoint(.passive) }
                } catch {
                    queue = nil  // reopen next time: the file may have been busy or replaced
                }
            }
            // Closed before `close()` returns: closing takes locks for a moment, which a
            // connection opened right after the writer closes must not run into.
            try? queue?.close()
            queue = nil
            state.finish()
        }
        thread.name = "botify.checkpointer"
        thread.start()
    }

    /// Asks for a checkpoint soon; requests made while one runs are merged into the next.
    func request() {
        state.request()
    }

    /// Runs a last checkpoint if one was requested, then ends the thread and waits for it.
    func close() {
        state.close()
    }
}

private final class CheckpointState: @unchecked Sendable {
    private let condition = NSCondition()
    private var requested = false
    private var closed = false
    private var finished = false

    func request() {
        condition.withLock {
            requested = true
            condition.broadcast()
        }
    }

    /// Waits for a request; false once closed with nothing left to do.
    func nextRound() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !requested && !closed { condition.wait() }
        let run = requested
        requested = false
        return run
    }

    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    func finish() {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }
}
