/// Float32 storage in `RandomAccessMemory`: a 64-factor row fills exactly four cache lines
/// instead of straddling five, which the iALS row solver's random row reads feel (about 10% of
/// a sweep, and huge pages about 6% more). Owners copy it before writing when it is shared.
final class AlignedFloats: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = RandomAccessMemory.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride)
            .bindMemory(to: Float.self, capacity: max(1, count))
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
