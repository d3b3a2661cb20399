import CVectorKernels
import Core
import Dispatch

/// Implicit-feedback ALS (Hu, Koren & Volinsky) solved by conjugate gradient as `implicit`
/// does (Takács et al.): each sweep re-solves every user row, then every item row, with a few
/// CG steps warm-started from the previous value. Confidence is 1 + α·r, preference 1 for every
/// stored entry, L2 regularisation λ.
///
/// Rows are independent given the other side's factors, so they are solved in parallel; each
/// row's result depends only on its own inputs, and the Gram matrices are summed over a fixed
/// partition in a fixed order, so the factors are identical for any thread count.
public struct IALS: Sendable {
    public struct Parameters: Sendable, Equatable {
        public var factors: Int
        public var iterations: Int
        public var alpha: Float
        public var regularization: Float
        public var cgSteps: Int
        public var seed: UInt64
        public var threads: Int

        public init(factors: Int = 32, iterations: Int = 15, alpha: Float = 10, regularization: Float = 0.05,
                    cgSteps: Int = 3, seed: UInt64 = 42, threads: Int = 2) {
            self.factors = factors
            self.iterations = iterations
            self.alpha = alpha
            self.regularization = regularization
            self.cgSteps = cgSteps
            self.seed = seed
            self.threads = threads
        }
    }

    public let parameters: Parameters
    /// Row-major users × factors and items × factors, 64-byte aligned (copied on write).
    private var userStorage: AlignedFloats
    private var itemStorage: AlignedFloats
    /// Row-major users × factors (a copy).
    public var userFactors: [Float] { userStorage.array }
    /// Row-major items × factors (a copy).
    public var itemFactors: [Float] { itemStorage.array }
    public let users: Int
    public let items: Int

    /// Seeded small random start, as `implicit` (uniform · 0.01).
    public init(users: Int, items: Int, parameters: Parameters) {
        self.parameters = parameters
        self.users = users
        self.items = items
        let k = parameters.factors
        var rng = SeededGenerator(seed: parameters.seed, stream: 0x4941_4C53)
        userStorage = AlignedFloats((0..<users * k).map { _ in Float(rng.nextUnit()) * 0.01 })
        itemStorage = AlignedFloats((0..<items * k).map { _ in Float(rng.nextUnit()) * 0.01 })
    }

    /// Starts from given factors (a warm start from an earlier fit), `users × factors` and
    /// `items × factors` row-major.
    public init(parameters: Parameters, userFactors: [Float], itemFactors: [Float]) {
        let k = parameters.factors
        precondition(k > 0 && userFactors.count % k == 0 && itemFactors.count % k == 0, "factor rows of the wrong width")
        self.parameters = parameters
        users = userFactors.count / k
        items = itemFactors.count / k
        userStorage = AlignedFloats(userFactors)
        itemStorage = AlignedFloats(itemFactors)
    }

    /// One sweep: users given items, then items given users.
    public mutating func iterate(userItems: SparseMatrix, itemUsers: SparseMatrix) {
        let p = parameters
        if !isKnownUniquelyReferenced(&userStorage) { userStorage = userStorage.copy() }
        if !isKnownUniquelyReferenced(&itemStorage) { itemStorage = itemStorage.copy() }
        let x = userStorage.pointer, y = itemStorage.pointer
        let gramY = Self.gram(y, rows: items, k: p.factors, regularization: p.regularization, threads: p.threads)
        Self.solveRows(x, matrix: userItems, other: y, gram: gramY, parameters: p)
        let gramX = Self.gram(x, rows: users, k: p.factors, regularization: p.regularization, threads: p.threads)
        Self.solveRows(y, matrix: itemUsers, other: x, gram: gramX, parameters: p)
    }

    /// Trains from scratch: `iterations` sweeps.
    public static func train(_ userItems: SparseMatrix, parameters: Parameters) -> IALS {
        var model = IALS(users: userItems.rows, items: userItems.columns, parameters: parameters)
        let itemUsers = userItems.transposed()
        for _ in 0..<parameters.iterations { model.iterate(userItems: userItems, itemUsers: itemUsers) }
        return model
    }

    /// Fᵀ F + λ I (k × k, row-major), summed over a fixed partition of the rows.
    static func gram(_ f: [Float], rows: Int, k: Int, regularization: Float, threads: Int) -> [Float] {
        f.withUnsafeBufferPointer { fb in
            guard let base = fb.baseAddress else { return gram(UnsafePointer(bitPattern: 64)!, rows: 0, k: k, regularization: regularization, threads: threads) }
            return gram(base, rows: rows, k: k, regularization: regularization, threads: threads)
        }
    }

    static func gram(_ f: UnsafePointer<Float>, rows: Int, k: Int, regularization: Float, threads: Int) -> [Float] {
        let parts = 16
        var partial = Array(repeating: Float(0), count: parts * k * k)
        let chunk = (rows + parts - 1) / parts
        let accumulate = bv_best_kernels()!.pointee.gram_accumulate!
        partial.withUnsafeMutableBufferPointer { out in
            let outBox = UnsafeSendable(out.baseAddress!), fBox = UnsafeSendable(f)
            parallelFor(parts, threads: threads) { part in
                let lo = part * chunk, hi = min(rows, lo + chunk)
                guard lo < hi else { return }
                accumulate(fBox.pointer + lo * k, hi - lo, k, outBox.pointer + part * k * k)
            }
        }
        var g = Array(repeating: Float(0), count: k * k)
        for part in 0..<parts { for i in 0..<(k * k) { g[i] += partial[part * k * k + i] } }
        for a in 0..<k { g[a * k + a] += regularization }
        return g
    }

    /// CG for every row of `factors` against `other`, warm-started from the current values
    /// (CVectorKernels' `ials_cg_rows`). Rows are cut into chunks of about equal work (non-zeros
    /// plus a per-row share for the k × k products) so a few very popular items cannot leave
    /// one thread working alone at the end.
    static func solveRows(_ factors: UnsafeMutablePointer<Float>, matrix: SparseMatrix, other: UnsafePointer<Float>, gram: [Float],
                          parameters p: Parameters) {
        let k = p.factors
        let bounds = balancedChunks(matrix.offsets, perRow: 32, chunks: p.threads <= 1 ? 1 : 64 * p.threads)
        let solve = bv_best_kernels()!.pointee.ials_cg_rows!
        gram.withUnsafeBufferPointer { gb in
            matrix.offsets.withUnsafeBufferPointer { offsets in
                matrix.indices.withUnsafeBufferPointer { indices in
                    matrix.values.withUnsafeBufferPointer { values in
                        // A matrix without entries still needs valid (unread) pointers.
                        let ctx = UnsafeSendable(CGInputs(factors: factors, other: other, gram: gb.baseAddress!,
                                                          offsets: offsets.baseAddress!,
                                                          indices: indices.baseAddress ?? UnsafePointer(bitPattern: 64)!,
                                                          values: values.baseAddress ?? UnsafePointer(bitPattern: 64)!))
                        parallelFor(bounds.count - 1, threads: p.threads) { c in
                            let i = ctx.pointer
                            solve(i.factors, i.other, i.gram, i.offsets, i.indices, i.values, k, p.alpha, Int32(p.cgSteps),
                                  bounds[c], bounds[c + 1])
                        }
                    }
                }
            }
        }
    }

    /// Row boundaries 0 = b₀ < b₁ < … = rows cutting the rows into at most `chunks` runs of about
    /// equal cost (a row costs its non-zeros plus `perRow`).
    static func balancedChunks(_ offsets: [Int], perRow: Int, chunks: Int) -> [Int] {
        let rows = offsets.count - 1
        let total = offsets[rows] + perRow * rows
        var bounds = [0]
        for c in 1..<max(1, chunks) {
            let target = total * c / chunks
            // First row whose start cost reaches the target (costs are increasing).
            var lo = bounds.last!, hi = rows
            while lo < hi {
                let mid = (lo + hi) / 2
                if offsets[mid] + perRow * mid < target { lo = mid + 1 } else { hi = mid }
            }
            if lo > bounds.last! && lo < rows { bounds.append(lo) }
        }
        if rows > 0 { bounds.append(rows) }
        return bounds
    }

    /// The mean weighted squared error plus the regularisation term, over the full matrix
    /// (unobserved cells count with confidence 1), normalised as `implicit` reports it.
    public func loss(_ userItems: SparseMatrix) -> Double {
        let k = parameters.factors
        let gram = Self.gram(itemStorage.pointer, rows: items, k: k, regularization: 0, threads: parameters.threads)
        var total = 0.0, confidence = 0.0, norms = 0.0
        let xs = userStorage.pointer, ys = itemStorage.pointer
        gram.withUnsafeBufferPointer { gb in
            var gx = Array(repeating: Float(0), count: k)
            for u in 0..<users {
                let x = xs + u * k
                for a in 0..<k { gx[a] = VectorMath.dot(gb.baseAddress! + a * k, x, k) }
                total += Double(VectorMath.dot(gx, x, k))
                norms += Double(VectorMath.dot(x, x, k))
                for j in userItems.offsets[u]..<userItems.offsets[u + 1] {
                    let c = 1 + parameters.alpha * userItems.values[j]
                    let s = VectorMath.dot(x, ys + Int(userItems.indices[j]) * k, k)
                    total += Double(c * (1 - s) * (1 - s) - s * s)
                    confidence += Double(c)
                }
            }
        }
        for i in 0..<items { norms += Double(VectorMath.dot(ys + i * k, ys + i * k, k)) }
        total += Double(parameters.regularization) * norms
        let cells = Double(users) * Double(items) - Double(userItems.nonZeros)
        return total / (confidence + cells)
    }
}

/// Raw inputs of the CG row solver, shared read-only by the workers (each writes its own rows).
struct CGInputs {
    let factors: UnsafeMutablePointer<Float>
    let other: UnsafePointer<Float>
    let gram: UnsafePointer<Float>
    let offsets: UnsafePointer<Int>
    let indices: UnsafePointer<Int32>
    let values: UnsafePointer<Float>
}

/// A pointer handed to worker threads that write disjoint parts of its memory.
struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: T
    init(_ pointer: T) { self.pointer = pointer }
}

/// Runs `body(0..<count)` on up to `threads` threads (in-line when 1); which thread runs which
/// index never changes a result, because every index writes only its own output.
func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    if threads <= 1 || count <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}

extension IALS {
    /// The `k` items with the highest score for `user`, skipping the row's stored items
    /// (already consumed), best first: an exact scan, for evaluation. The row's columns are
    /// sorted, so one cursor walks them beside the scan.
    public func recommend(user: Int, k: Int, excluding seen: SparseMatrix) -> [Int32] {
        let f = parameters.factors
        let dot = bv_best_kernels()!.pointee.dot!
        var next = seen.offsets[user]
        let end = seen.offsets[user + 1]
        var best = TopScores(k: k)
        let x = userStorage.pointer + user * f, ys = itemStorage.pointer
        for i in 0..<items {
            if next < end && seen.indices[next] == Int32(i) {
                next += 1
                continue
            }
            let s = dot(x, ys + i * f, f)
            best.offer(s, Int32(i))
        }
        return best.drainBestFirst().map(\.id)
    }
}
