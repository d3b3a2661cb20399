import ArgumentParser
import Core

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export logged plays or sessions as CSV or JSON lines.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "export") }
    }
}
