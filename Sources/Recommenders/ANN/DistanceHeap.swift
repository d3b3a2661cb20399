/// A binary heap of (distance, id) on one flat array, reused across queries so searching
/// allocates nothing once warmed up. `maxOnTop` picks a max-heap (the current k best, worst on
/// top) or a min-heap (the frontier, closest on top).
struct DistanceHeap {
    struct Entry {
        var key: Float
        var id: Int32
    }

    private(set) var entries: [Entry] = []
    let maxOnTop: Bool

    init(maxOnTop: Bool, capacity: Int = 64) {
        self.maxOnTop = maxOnTop
        entries.reserveCapacity(capacity)
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var topKey: Float { entries[0].key }
    var topID: Int32 { entries[0].id }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    @inline(__always)
    private static func before(_ a: Float, _ b: Float, _ maxOnTop: Bool) -> Bool { maxOnTop ? a > b : a < b }

    @inline(__always)
    mutating func push(_ key: Float, _ id: Int32) {
        let item = Entry(key: key, id: id)
        entries.append(item)
        let maxOnTop = maxOnTop
        entries.withUnsafeMutableBufferPointer { e in
            var child = e.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard Self.before(key, e[parent].key, maxOnTop) else { break }
                e[child] = e[parent]
                child = parent
            }
            e[child] = item
        }
    }

    @inline(__always)
    mutating func pop() {
        let last = entries.removeLast()
        let maxOnTop = maxOnTop
        entries.withUnsafeMutableBufferPointer { e in
            let n = e.count
            guard n > 0 else { return }
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var c = l
                if l + 1 < n && Self.before(e[l + 1].key, e[l].key, maxOnTop) { c = l + 1 }
                guard Self.before(e[c].key, last.key, maxOnTop) else { break }
                e[i] = e[c]
                i = c
            }
            e[i] = last
        }
    }
}
