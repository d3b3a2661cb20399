#if canImport(Glibc)
import Glibc
#endif

/// Memory for large tables read at random rows (HNSW nodes, iALS factors). 64-byte aligned, so
/// a row that is a multiple of 64 bytes fills whole cache lines. With 4 KiB pages nearly every
/// random row read of a large table also misses the TLB, so on Linux a block of at least one
/// huge page is asked to live on 2 MiB pages (transparent huge pages in `madvise` mode) before
/// anything touches it.
enum RandomAccessMemory {
    static let hugePage = 2 << 20

    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        #if os(Linux)
        if byteCount >= hugePage {
            let block = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: hugePage)
            _ = madvise(block, byteCount & ~(hugePage - 1), MADV_HUGEPAGE)
            return block
        }
        #endif
        return .allocate(byteCount: max(1, byteCount), alignment: 64)
    }
}
