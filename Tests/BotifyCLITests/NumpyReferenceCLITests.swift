import Foundation
import Testing

/// `python3` with numpy, if this machine has it (the reference is skipped otherwise).
let numpyPython: String? = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    return process.terminationStatus == 0 ? "python3" : nil
}()

/// scripts/numpy-reference.py, the course's listener model in NumPy that botify's throughput is
/// measured against (issue #13, item 4), must be the model botify simulates: same mean session
/// length under the course's `random` within the 95% CIs, on the same exported world.
@Suite("NumPy reference")
struct NumpyReferenceCLITests {
    /// The mean and 95% CI of a report row "random  300  6000  2.558  [2.527, 2.589] …".
    static func meanLength(_ stdout: String) -> (mean: Double, low: Double, high: Double)? {
        guard let row = stdout.split(separator: "\n").first(where: { $0.hasPrefix("random ") }) else { return nil }
        let fields = row.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[],")) }
        guard fields.count > 5, let mean = Double(fields[3]), let low = Double(fields[4]), let high = Double(fields[5]) else { return nil }
        return (mean, low, high)
    }

    @Test("same mean session length as botify under random, within the 95% CIs", .enabled(if: numpyPython != nil))
    func agreesWithBotify() throws {
        let dir = scratchDirectory("numpy-reference")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let world = dir + "/world"
        let (users, sessions) = ("400", "20")
        #expect(try runBotify(["world", "export", world, "--format", "course", "--users", users, "--catalog", smallCatalog]).status == 0)
        let botify = try runBotify(["simulate", "--strategy", "random", "--world", world, "--users", users, "--sessions", sessions,
                                    "--seed", "5", "--db", dir + "/botify.sqlite"])
        #expect(botify.status == 0, "\(botify.stderr)")
        let ours = try #require(Self.meanLength(botify.stdout), "\(botify.stdout)")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [numpyPython!, repositoryRoot.appendingPathComponent("scripts/numpy-reference.py").path,
                             "--world", world, "--db", dir + "/reference.sqlite", "--users", users, "--sessions", sessions, "--seed", "5"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let mean = try #require(reference["mean_length"] as? Double)
        let low = try #require(reference["ci_low"] as? Double), high = try #require(reference["ci_high"] as? Double)
        #expect(reference["sessions"] as? Int == 8000)
        // Every play was logged: the reference's database holds them, one session row each.
        #expect(try sqlite(dir + "/reference.sqlite", "SELECT count(*) FROM sessions") == "8000")
        #expect(try sqlite(dir + "/reference.sqlite", "SELECT count(*) FROM plays") == "\(reference["plays"] as? Int ?? -1)")
        #expect(low <= ours.high && ours.low <= high,
                "botify \(ours.mean) [\(ours.low), \(ours.high)], NumPy reference \(mean) [\(low), \(high)]")
        // Not one model's number twice: the two runs drew their own sessions.
        #expect(mean != ours.mean)

        // Both simulate the same users, so their differences are far tighter than either CI
        // (which is mostly the spread between users): per user, botify's mean length minus the
        // reference's, within 3.29 standard errors of 0 (99.9%).
        func perUser(_ db: String) throws -> [Substring: Double] {
            let rows = try sqlite(db, "SELECT user_id, avg(length) FROM sessions GROUP BY user_id").split(separator: "\n")
            return Dictionary(uniqueKeysWithValues: rows.map { row in
                let parts = row.split(separator: "|")
                return (parts[0], Double(parts[1]) ?? .nan)
            })
        }
        let a = try perUser(dir + "/botify.sqlite"), b = try perUser(dir + "/reference.sqlite")
        #expect(a.count == 400 && Set(a.keys) == Set(b.keys))
        let d = a.keys.map { a[$0]! - (b[$0] ?? .nan) }
        let dMean = d.reduce(0, +) / Double(d.count)
        let se = (d.map { ($0 - dMean) * ($0 - dMean) }.reduce(0, +) / Double(d.count - 1) / Double(d.count)).squareRoot()
        #expect(abs(dMean) <= 3.29 * se, "paired difference \(dMean) ± \(se)")
    }
}
