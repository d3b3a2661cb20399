#if os(Linux)
import Glibc
#endif

/// Float32 storage starting on a 64-byte boundary (a huge page when large): a 64-factor row then
/// fills exactly four cache lines instead of straddling five, which the iALS row solver's random
/// row reads feel (about 10% of a sweep). Owners copy it before writing when it is shared.
final class AlignedFloats: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        #if os(Linux)
        // Large tables on transparent huge pages (the kernel only grants them on request here):
        // the solver's random row reads then miss the TLB far less (about 6% of a sweep).
        let huge = 2 << 20
        if bytes >= 2 * huge {
            let rounded = (bytes + huge - 1) / huge * huge
            let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: huge)
            _ = madvise(raw, rounded, MADV_HUGEPAGE)
            pointer = raw.bindMemory(to: Float.self, capacity: count)
            return
        }
        #endif
        pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64).bindMemory(to: Float.self, capacity: max(1, count))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { if let base = $0.baseAddress { pointer.update(from: base, count: values.count) } }
    }

    deinit { pointer.deallocate() }

    func copy() -> AlignedFloats {
        let c = AlignedFloats(count: count)
        c.pointer.update(from: pointer, count: count)
        return c
    }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
