import Foundation

/// A thread that runs `work` every `interval` seconds and once more when stopped, so the
/// request handlers only ever append to a buffer and never wait for a disk. `stop` returns
/// after that last run. `SessionDrain` (the database) and `CourseLog` (the JSON lines) use one each.
final class PeriodicWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false

    /// `work(last)` is told whether this is the final run; returning false ends the thread early
    /// (a failure that makes further runs pointless).
    init(name: String, interval: Double, work: @escaping @Sendable (_ last: Bool) -> Bool) {
        let thread = Thread { [self] in
            while true {
                let last = condition.withLock { () -> Bool in
                    if !stopping { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
                    return stopping
                }
                if !work(last) || last { break }
            }
            condition.withLock { finished = true; condition.broadcast() }
        }
        thread.name = name
        thread.start()
    }

    /// Asks for the final run and waits for it.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
