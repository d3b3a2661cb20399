import ArgumentParser
import Core

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Report session statistics from the database.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "stats") }
    }
}
