import Foundation

/// Reusable per-call working memory for recommenders that many threads may call at once:
/// take one, use it, give it back. The lock is held only to pop and push.
final class ScratchPool<Scratch>: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Scratch] = []
    private let make: @Sendable () -> Scratch

    init(_ make: @escaping @Sendable () -> Scratch) { self.make = make }

    func with<R>(_ body: (inout Scratch) -> R) -> R {
        lock.lock()
        var scratch = free.popLast() ?? make()
        lock.unlock()
        defer {
            lock.lock()
            free.append(scratch)
            lock.unlock()
        }
        return body(&scratch)
    }
}
