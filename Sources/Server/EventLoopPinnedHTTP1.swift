import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 connection handler, run on its own connection's event loop.
///
/// Hummingbird runs each connection's handler as a Swift Concurrency task on the global
/// cooperative pool, so every request hops threads twice: the event loop reads it and wakes a
/// pool thread, which answers and hands the write back to the event loop. On 2 cores that is
/// four busy threads (two event loops, two pool threads) taking turns with the load generator,
/// about one context switch per request each (measured from /proc). With the connection's event
/// loop as the task's executor preference (SE-0417), reading, answering and writing stay on one
/// thread: 18–20k → 22–25k requests/s on 2 cores. It did not shorten the p99 with the load
/// generator on the same cores, which is its time slices against the server's
/// (docs/PROTOCOL.md, "Performance").
struct EventLoopPinnedHTTP1: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await inner.handle(value: value, logger: logger)
        }
    }

    /// `.http1(configuration:)` with every connection pinned to its event loop.
    static func builder(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            EventLoopPinnedHTTP1(inner: HTTP1Channel(responder: responder, configuration: configuration))
        }
    }
}

/// Runs Swift Concurrency jobs on a NIO event loop (NIO 2.101 has no `TaskExecutor` of its own).
/// A job is always queued, never run inline, so it cannot re-enter the code that enqueued it.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
