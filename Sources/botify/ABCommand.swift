import ArgumentParser
import Core

struct ABCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ab",
        abstract: "Run an A/B experiment between strategies over simulated users.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "ab") }
    }
}
