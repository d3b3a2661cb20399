/// The `k` highest-scoring ids of an exact scan, kept in a min-heap on one flat array (the
/// worst of the current best on top, so each candidate costs one comparison). The one top-k
/// of the package: iALS's evaluation scan and ALSRecommender's exact fallback both use it, so
/// equal scores come out in the same order in both.
struct TopScores {
    private struct Entry {
        var score: Float
        var id: Int32
    }

    let k: Int
    private var entries: [Entry] = []

    init(k: Int) {
        self.k = max(0, k)
        entries.reserveCapacity(self.k + 1)
    }

    /// Keeps `id` if its score beats the worst of the best so far (ties keep the earlier id).
    @inline(__always)
    mutating func offer(_ score: Float, _ id: Int32) {
        if entries.count < k {
            push(Entry(score: score, id: id))
        } else if k > 0 && score > entries[0].score {
            pop()
            push(Entry(score: score, id: id))
        }
    }

    /// The kept ids and scores, best first; empties the heap.
    mutating func drainBestFirst() -> [(id: Int32, score: Float)] {
        var out: [(id: Int32, score: Float)] = []
        out.reserveCapacity(entries.count)
        while !entries.isEmpty {
            out.append((entries[0].id, entries[0].score))
            pop()
        }
        return out.reversed()
    }

    @inline(__always)
    private mutating func push(_ item: Entry) {
        entries.append(item)
        entries.withUnsafeMutableBufferPointer { e in
            var child = e.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                guard item.score < e[parent].score else { break }
                e[child] = e[parent]
                child = parent
            }
            e[child] = item
        }
    }

    @inline(__always)
    private mutating func pop() {
        let last = entries.removeLast()
        entries.withUnsafeMutableBufferPointer { e in
            let n = e.count
            guard n > 0 else { return }
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var c = l
                if l + 1 < n && e[l + 1].score < e[l].score { c = l + 1 }
                guard e[c].score < last.score else { break }
                e[i] = e[c]
                i = c
            }
            e[i] = last
        }
    }
}
