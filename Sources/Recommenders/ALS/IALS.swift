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
    /// Row-major users × factors and items × factors.
    public private(set) var userFactors: [Float]
    public private(set) var itemFactors: [Float]
    public let users: Int
    public let items: Int

    /// Seeded small random start, as `implicit` (uniform · 0.01).
    public init(users: Int, items: Int, parameters: Parameters) {
        self.parameters = parameters
        self.users = users
        self.items = items
        let k = parameters.factors
        var rng = SeededGenerator(seed: parameters.seed, stream: 0x4941_4C53)
        userFactors = (0..<users * k).map { _ in Float(rng.nextUnit()) * 0.01 }
        itemFactors = (0..<items * k).map { _ in Float(rng.nextUnit()) * 0.01 }
    }

    /// One sweep: users given items, then items given users.
    public mutating func iterate(userItems: SparseMatrix, itemUsers: SparseMatrix) {
        let p = parameters
        let gramY = Self.gram(itemFactors, rows: items, k: p.factors, regularization: p.regularization, threads: p.threads)
        Self.solveRows(&userFactors, matrix: userItems, other: itemFactors, gram: gramY, parameters: p)
        let gramX = Self.gram(userFactors, rows: users, k: p.factors, regularization: p.regularization, threads: p.threads)
        Self.solveRows(&itemFactors, matrix: itemUsers, other: userFactors, gram: gramX, parameters: p)
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
        let parts = 16
        var partial = Array(repeating: Float(0), count: parts * k * k)
        let chunk = (rows + parts - 1) / parts
        partial.withUnsafeMutableBufferPointer { out in
            f.withUnsafeBufferPointer { fb in
                let outBox = UnsafeSendable(out.baseAddress!), fBox = UnsafeSendable(fb.baseAddress!)
                parallelFor(parts, threads: threads) { part in
                    let g = outBox.pointer + part * k * k
                    let lo = part * chunk, hi = min(rows, lo + chunk)
                    guard lo < hi else { return }
                    for r in lo..<hi {
                        let row = UnsafePointer(fBox.pointer) + r * k
                        for a in 0..<k { VectorMath.axpy(row[a], row, g + a * k, k) }
                    }
                }
            }
        }
        var g = Array(repeating: Float(0), count: k * k)
        for part in 0..<parts { for i in 0..<(k * k) { g[i] += partial[part * k * k + i] } }
        for a in 0..<k { g[a * k + a] += regularization }
        return g
    }

    /// CG for every row of `factors` against `other`, warm-started from the current values.
    static func solveRows(_ factors: inout [Float], matrix: SparseMatrix, other: [Float], gram: [Float], parameters p: Parameters) {
        let k = p.factors
        let rows = matrix.rows
        let chunks = max(1, min(rows, 256))
        let per = (rows + chunks - 1) / chunks
        factors.withUnsafeMutableBufferPointer { fb in
            other.withUnsafeBufferPointer { ob in
                gram.withUnsafeBufferPointer { gb in
                    matrix.offsets.withUnsafeBufferPointer { offsets in
                        matrix.indices.withUnsafeBufferPointer { indices in
                            matrix.values.withUnsafeBufferPointer { values in
                                let ctx = UnsafeSendable(CGInputs(factors: fb.baseAddress!, other: ob.baseAddress!, gram: gb.baseAddress!,
                                                                  offsets: offsets.baseAddress!, indices: indices.baseAddress!,
                                                                  values: values.baseAddress!, k: k, alpha: p.alpha, steps: p.cgSteps))
                                parallelFor(chunks, threads: p.threads) { c in
                                    let lo = c * per, hi = min(rows, lo + per)
                                    guard lo < hi else { return }
                                    var work = CGWork(k: k)
                                    for r in lo..<hi { ctx.pointer.solve(row: r, work: &work) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The mean weighted squared error plus the regularisation term, over the full matrix
    /// (unobserved cells count with confidence 1), normalised as `implicit` reports it.
    public func loss(_ userItems: SparseMatrix) -> Double {
        let k = parameters.factors
        let gram = Self.gram(itemFactors, rows: items, k: k, regularization: 0, threads: parameters.threads)
        var total = 0.0, confidence = 0.0, norms = 0.0
        userFactors.withUnsafeBufferPointer { xb in
            itemFactors.withUnsafeBufferPointer { yb in
                gram.withUnsafeBufferPointer { gb in
                    var gx = Array(repeating: Float(0), count: k)
                    for u in 0..<users {
                        let x = xb.baseAddress! + u * k
                        for a in 0..<k { gx[a] = VectorMath.dot(gb.baseAddress! + a * k, x, k) }
                        total += Double(VectorMath.dot(gx, x, k))
                        norms += Double(VectorMath.dot(x, x, k))
                        for j in userItems.offsets[u]..<userItems.offsets[u + 1] {
                            let c = 1 + parameters.alpha * userItems.values[j]
                            let s = VectorMath.dot(x, yb.baseAddress! + Int(userItems.indices[j]) * k, k)
                            total += Double(c * (1 - s) * (1 - s) - s * s)
                            confidence += Double(c)
                        }
                    }
                }
                for i in 0..<items { norms += Double(VectorMath.dot(yb.baseAddress! + i * k, yb.baseAddress! + i * k, k)) }
            }
        }
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
    let k: Int
    let alpha: Float
    let steps: Int

    func solve(row: Int, work: inout CGWork) {
        ConjugateGradient.solve(x: factors + row * k, other: other, gram: gram,
                                indices: indices + offsets[row], values: values + offsets[row],
                                count: offsets[row + 1] - offsets[row], k: k, alpha: alpha, steps: steps, work: &work)
    }
}

/// Per-thread CG vectors.
struct CGWork {
    var r: [Float]
    var p: [Float]
    var ap: [Float]
    init(k: Int) {
        r = Array(repeating: 0, count: k)
        p = r
        ap = r
    }
}

enum ConjugateGradient {
    /// Improves x towards the solution of (YᵀY + λI + Σ (c−1) y yᵀ) x = Σ c y, over the row's
    /// stored entries (c = 1 + α·value), with `steps` CG iterations.
    static func solve(x: UnsafeMutablePointer<Float>, other: UnsafePointer<Float>, gram: UnsafePointer<Float>,
                      indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int,
                      k: Int, alpha: Float, steps: Int, work: inout CGWork) {
        work.r.withUnsafeMutableBufferPointer { rb in
            work.p.withUnsafeMutableBufferPointer { pb in
                work.ap.withUnsafeMutableBufferPointer { apb in
                    let r = rb.baseAddress!, p = pb.baseAddress!, ap = apb.baseAddress!
                    // r = b − A x
                    for a in 0..<k { r[a] = -VectorMath.dot(gram + a * k, x, k) }
                    for j in 0..<count {
                        let y = other + Int(indices[j]) * k
                        let c = 1 + alpha * values[j]
                        VectorMath.axpy(c - (c - 1) * VectorMath.dot(y, x, k), y, r, k)
                    }
                    p.update(from: r, count: k)
                    var rsOld = VectorMath.dot(r, r, k)
                    if rsOld < 1e-20 { return }
                    for _ in 0..<steps {
                        for a in 0..<k { ap[a] = VectorMath.dot(gram + a * k, p, k) }
                        for j in 0..<count {
                            let y = other + Int(indices[j]) * k
                            VectorMath.axpy(alpha * values[j] * VectorMath.dot(y, p, k), y, ap, k)
                        }
                        let pAp = VectorMath.dot(p, ap, k)
                        guard pAp > 0 else { return }
                        let step = rsOld / pAp
                        VectorMath.axpy(step, p, x, k)
                        VectorMath.axpy(-step, ap, r, k)
                        let rsNew = VectorMath.dot(r, r, k)
                        if rsNew < 1e-20 { return }
                        let beta = rsNew / rsOld
                        for a in 0..<k { p[a] = r[a] + beta * p[a] }
                        rsOld = rsNew
                    }
                }
            }
        }
    }
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
    /// (already consumed), best first: an exact scan, for evaluation.
    public func recommend(user: Int, k: Int, excluding seen: SparseMatrix) -> [Int32] {
        let f = parameters.factors
        let skip = Set(seen.indices[seen.offsets[user]..<seen.offsets[user + 1]])
        var best = DistanceHeap(maxOnTop: false, capacity: k + 1)
        userFactors.withUnsafeBufferPointer { xb in
            itemFactors.withUnsafeBufferPointer { yb in
                let x = xb.baseAddress! + user * f
                for i in 0..<items where !skip.contains(Int32(i)) {
                    let s = VectorMath.dot(x, yb.baseAddress! + i * f, f)
                    if best.count < k { best.push(s, Int32(i)) } else if s > best.topKey { best.pop(); best.push(s, Int32(i)) }
                }
            }
        }
        var out: [Int32] = []
        while !best.isEmpty { out.append(best.topID); best.pop() }
        return out.reversed()
    }
}
