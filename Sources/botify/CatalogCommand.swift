import ArgumentParser
import Core

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Inspect, search, import and synthesize track catalogs.")

    func run() throws {
        try reportingErrors { throw NotYetAvailable(command: "catalog") }
    }
}
