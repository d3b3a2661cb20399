/// Which end of a `CandidateHeap` is on top, fixed at compile time so the sift loops carry no
/// run-time branch on the order.
protocol HeapOrder {
    static func before(_ a: Float, _ b: Float) -> Bool
}

/// Closest on top: HNSW's frontier of nodes still to expand.
enum NearestFirst: HeapOrder {
    @inline(__always) static func before(_ a: Float, _ b: Float) -> Bool { a < b }
}

/// Farthest on top: the ef best found so far, whose worst is the bound to beat.
enum FarthestFirst: HeapOrder {
    @inline(__always) static func before(_ a: Float, _ b: Float) -> Bool { a > b }
}

struct Candidate {
    var key: Float
    var id: Int32
}

/// Owns a heap's entries; kept apart from the heap's cached pointer so the hot loops read
/// plain struct fields (no class-property exclusivity checks, no array uniqueness checks).
final class CandidateStorage {
    private(set) var base: UnsafeMutablePointer<Candidate>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    func grow(keeping count: Int) {
        let bigger = UnsafeMutablePointer<Candidate>.allocate(capacity: 2 * capacity)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    deinit { base.deallocate() }
}

/// A binary heap of (distance, id) on raw memory, reused across queries so a warmed-up search
/// allocates nothing. Copies share storage until `makeUnique()`, which HNSW calls at the start
/// of every search, so a copied scratch never writes into another's heap.
struct CandidateHeap<Order: HeapOrder> {
    private var storage: CandidateStorage
    private var base: UnsafeMutablePointer<Candidate>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        storage = CandidateStorage(capacity: capacity)
        base = storage.base
        self.capacity = storage.capacity
    }

    var isEmpty: Bool { count == 0 }
    var topKey: Float { base[0].key }
    var topID: Int32 { base[0].id }

    /// Every entry, last array slot first, in no particular order of key.
    @inline(__always)
    func forEachFromLeaves(_ body: (Float, Int32) -> Void) {
        var i = count
        while i > 0 {
            i -= 1
            body(base[i].key, base[i].id)
        }
    }

    /// Empties the heap and gives it storage of its own.
    mutating func makeUnique() {
        count = 0
        if !isKnownUniquelyReferenced(&storage) {
            storage = CandidateStorage(capacity: capacity)
            base = storage.base
        }
    }

    @inline(__always)
    mutating func push(_ key: Float, _ id: Int32) {
        if count == capacity {
            storage.grow(keeping: count)
            base = storage.base
            capacity = storage.capacity
        }
        var child = count
        count += 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard Order.before(key, base[parent].key) else { break }
            base[child] = base[parent]
            child = parent
        }
        base[child] = .init(key: key, id: id)
    }

    @inline(__always)
    mutating func pop() {
        count -= 1
        guard count > 0 else { return }
        siftDown(base[count])
    }

    /// pop() then push(key, id) in one sift, for a full heap whose top is being beaten.
    @inline(__always)
    mutating func replaceTop(_ key: Float, _ id: Int32) {
        siftDown(Candidate(key: key, id: id))
    }

    /// Puts `item` where the top was and lets it sink to its place among the first `count`.
    @inline(__always)
    private mutating func siftDown(_ item: Candidate) {
        let n = count
        var i = 0
        while true {
            let l = 2 * i + 1
            if l >= n { break }
            var c = l
            if l + 1 < n && Order.before(base[l + 1].key, base[l].key) { c = l + 1 }
            guard Order.before(base[c].key, item.key) else { break }
            base[i] = base[c]
            i = c
        }
        base[i] = item
    }
}
