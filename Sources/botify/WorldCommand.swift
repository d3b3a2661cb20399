import ArgumentParser
import Core

struct WorldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Export or import the simulated world (course file format).")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "world") }
    }
}
