import ArgumentParser
import Core

struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Open the terminal player (the default command).")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "play") }
    }
}
