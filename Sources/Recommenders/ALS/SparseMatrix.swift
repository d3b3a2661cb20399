/// Compressed sparse rows of Float32 values: users × items for iALS (and its transpose). Each
/// row's columns are in increasing order.
public struct SparseMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let offsets: [Int]
    public let indices: [Int32]
    public let values: [Float]

    public var nonZeros: Int { indices.count }

    /// From (row, column, value) triples; duplicates are summed, zero sums dropped.
    public init(rows: Int, columns: Int, triples: [(row: Int32, column: Int32, value: Float)]) {
        let sorted = triples.sorted { $0.row != $1.row ? $0.row < $1.row : $0.column < $1.column }
        var offsets = Array(repeating: 0, count: rows + 1)
        var indices: [Int32] = []
        var values: [Float] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        var i = 0
        while i < sorted.count {
            let (r, c) = (sorted[i].row, sorted[i].column)
            var v: Float = 0
            while i < sorted.count && sorted[i].row == r && sorted[i].column == c {
                v += sorted[i].value
                i += 1
            }
            if v != 0 {
                indices.append(c)
                values.append(v)
                offsets[Int(r) + 1] += 1
            }
        }
        for r in 0..<rows { offsets[r + 1] += offsets[r] }
        self.init(rows: rows, columns: columns, offsets: offsets, indices: indices, values: values)
    }

    init(rows: Int, columns: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.offsets = offsets
        self.indices = indices
        self.values = values
    }

    public func transposed() -> SparseMatrix {
        var offsets = Array(repeating: 0, count: columns + 1)
        for c in indices { offsets[Int(c) + 1] += 1 }
        for c in 0..<columns { offsets[c + 1] += offsets[c] }
        var fill = offsets
        var indices = Array(repeating: Int32(0), count: nonZeros)
        var values = Array(repeating: Float(0), count: nonZeros)
        for r in 0..<rows {
            for k in self.offsets[r]..<self.offsets[r + 1] {
                let c = Int(self.indices[k])
                indices[fill[c]] = Int32(r)
                values[fill[c]] = self.values[k]
                fill[c] += 1
            }
        }
        return SparseMatrix(rows: columns, columns: rows, offsets: offsets, indices: indices, values: values)
    }
}
