import ArgumentParser
import Core

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run simulated listeners headless and log their sessions.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "simulate") }
    }
}
