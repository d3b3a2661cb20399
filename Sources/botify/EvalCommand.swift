import ArgumentParser
import Core

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate strategies offline on held-out plays.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "eval") }
    }
}
