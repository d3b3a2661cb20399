import Dispatch

/// A buffer that parallel workers write into at disjoint indices. `@unchecked Sendable`
/// because Swift cannot prove the ranges are disjoint; every caller partitions them by index.
struct DisjointWrites<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>

    init(_ base: UnsafeMutablePointer<Element>) { self.base = base }

    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

/// Runs `body(chunk)` for chunk in 0..<chunks on Dispatch's pool (as many threads as cores).
/// Results must not depend on which thread runs a chunk; callers key everything by chunk.
func parallelChunks(_ chunks: Int, _ body: @Sendable (Int) -> Void) {
    if chunks <= 1 {
        if chunks == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
}
