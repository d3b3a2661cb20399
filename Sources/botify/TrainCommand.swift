import ArgumentParser
import Core

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a strategy's model on logged plays.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "train") }
    }
}
