import Core
import Dispatch
import Foundation
import Recommenders
import Simulator

/// Writes the matrix for `implicit`, trains botify's iALS on it and writes botify's top-10 lists
/// for a fixed sample of users, which the Python side scores with the same code as its own.
func compareIALS(_ args: Arguments) throws {
    let out = URL(fileURLWithPath: args.string("out"), isDirectory: true)
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    let users = args.int("users", 50_000), items = args.int("items", 50_000)
    let seed = UInt64(args.int("seed", 7))
    let parameters = IALS.Parameters(factors: args.int("factors", 64), iterations: args.int("iterations", 15),
                                     alpha: args.float("alpha", 2), regularization: args.float("reg", 0.05),
                                     cgSteps: 3, seed: seed, threads: args.int("threads", 2))

    let start = Date()
    let matrix = ImplicitMatrix.generate(users: users, items: items, meanItemsPerUser: args.int("items-per-user", 100),
                                         clusters: args.int("clusters", 100), seed: seed)
    print("matrix: \(matrix.train.nonZeros + matrix.test.nonZeros) non-zeros (\(matrix.train.nonZeros) train) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    try writeCSR(matrix.train, prefix: "train", to: out)
    try writeCSR(matrix.test, prefix: "test", to: out)

    let clock = ContinuousClock()
    var model: IALS?
    // CPU time beside wall time: the machine may be shared, and CPU seconds show the work done.
    let cpuStart = processCPUSeconds()
    let elapsed = clock.measure { model = IALS.train(matrix.train, parameters: parameters) }
    let cpuSeconds = processCPUSeconds() - cpuStart
    let trained = model!
    let seconds = elapsed.seconds
    print("botify iALS: \(String(format: "%.3f", seconds / Double(parameters.iterations))) s/iteration, "
          + "\(String(format: "%.3f", cpuSeconds / Double(parameters.iterations))) CPU s/iteration")

    // Top-10 for every user (the Python side scores those with held-out items, as it does
    // implicit's): exact scans, split across threads.
    var top = Array(repeating: Int32(-1), count: users * 10)
    top.withUnsafeMutableBufferPointer { buffer in
        let box = UnsafeSendableBuffer(buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: parameters.threads * 8) { part in
            let chunk = (users + parameters.threads * 8 - 1) / (parameters.threads * 8)
            for u in (part * chunk)..<min(users, (part + 1) * chunk) {
                for (j, item) in trained.recommend(user: u, k: 10, excluding: matrix.train).enumerated() { box.pointer[u * 10 + j] = item }
            }
        }
    }
    try NumpyWriter.data(top, shape: [users, 10]).write(to: out.appendingPathComponent("botify_top10.npy"))
    let meta: [String: Any] = ["users": users, "items": items, "factors": parameters.factors, "iterations": parameters.iterations,
                               "alpha": parameters.alpha, "reg": parameters.regularization, "seed": Int(seed),
                               "botify_seconds_per_iteration": seconds / Double(parameters.iterations),
                               "botify_cpu_seconds_per_iteration": cpuSeconds / Double(parameters.iterations)]
    try JSONSerialization.data(withJSONObject: meta, options: [.prettyPrinted, .sortedKeys]).write(to: out.appendingPathComponent("meta.json"))
}

private func writeCSR(_ m: SparseMatrix, prefix: String, to dir: URL) throws {
    try NumpyWriter.data(m.offsets.map(Int64.init), shape: [m.rows + 1]).write(to: dir.appendingPathComponent("\(prefix)_indptr.npy"))
    try NumpyWriter.data(m.indices, shape: [m.nonZeros]).write(to: dir.appendingPathComponent("\(prefix)_indices.npy"))
    try NumpyWriter.data(m.values, shape: [m.nonZeros]).write(to: dir.appendingPathComponent("\(prefix)_data.npy"))
}

/// CPU seconds used by all threads of this process so far.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Lets worker threads write disjoint slots of one buffer.
struct UnsafeSendableBuffer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
