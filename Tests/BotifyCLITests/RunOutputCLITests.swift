import Foundation
import Testing

/// What a piped `simulate` or `ab` prints: the world first, then one line per committed batch,
/// then the summary, which names the threads the run used.
@Suite("Run output")
struct RunOutputCLITests {
    @Test("simulate and ab print the world line before the first committed batch and the summary after")
    func worldLineComesFirst() throws {
        let dir = scratchDirectory("output-order")
        let runs = [
            ["simulate", "--strategy", "random", "--users", "30", "--sessions", "4", "--batch-plays", "20"],
            ["ab", "--experiment", "order", "--arms", "random,sticky-artist", "--users", "30", "--sessions", "4"],
        ]
        for (n, arguments) in runs.enumerated() {
            let run = try runBotify(arguments + ["--seed", "3", "--catalog", smallCatalog, "--db", dir + "/run-\(n).sqlite"])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            let world = try #require(lines.firstIndex { $0.contains("generated world") }, "\(run.stdout)")
            let firstBatch = try #require(lines.firstIndex { $0.hasPrefix("committed batch") }, "\(run.stdout)")
            let summary = try #require(lines.firstIndex { $0.contains(" sessions, ") && $0.contains(" plays in ") }, "\(run.stdout)")
            #expect(world < firstBatch && firstBatch < summary, "\(run.stdout)")
        }
    }

    @Test("by default a logged run leaves one core to the database writer, unless its strategy is slower than the writer; an unlogged run or --threads uses what it says")
    func defaultThreads() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        func threadsLine(_ extra: [String]) throws -> String {
            let db = scratchDirectory("threads") + "/run.sqlite"
            let run = try runBotify(["simulate", "--users", "20", "--sessions", "2", "--catalog", smallCatalog, "--db", db] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.split(separator: "\n").first { $0.contains(" plays in ") }.map(String.init) ?? run.stdout
        }
        func on(_ n: Int) -> String { "plays/s on \(n) thread\(n == 1 ? "" : "s")" }
        #expect(try threadsLine([]).contains(on(max(1, cores - 1))))
        #expect(try threadsLine(["--no-log"]).contains(on(cores)))
        #expect(try threadsLine(["--threads", "3"]).contains(on(3)))
        // oracle's picks cost more than the writer's rows: the simulation keeps every core.
        #expect(try threadsLine(["--strategy", "oracle"]).contains(on(cores)))
    }
}
