import ArgumentParser
import Core
import Storage

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export logged plays or sessions as CSV or JSON lines.",
        discussion: """
        CSV follows RFC 4180 (header line, CRLF, empty field for NULL); JSON lines write one \
        object per row (null for NULL). Both read back with pandas: pd.read_csv(FILE) and \
        pd.read_json(FILE, lines=True). Rows come from one consistent snapshot.
        """)

    @Argument(help: "What to export: \(ExportTable.allCases.map(\.rawValue).joined(separator: " or ")).")
    var table: ExportTable

    @Option(help: "csv or jsonl.")
    var format: ExportFormat = .csv

    @Option(help: ArgumentHelp("Write to this file (replaced only once complete) instead of standard output.",
                               valueName: "file"))
    var out: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            // Read-only: a --db that does not exist is an error, not a new empty database.
            let db = try database.openDatabase(mustExist: true)
            let sink = try out.map(ByteSink.atomicFile) ?? ByteSink.standardOutput()
            let rows = try db.export(table, format: format, to: sink)
            try sink.commit()
            if let out { printError("botify: wrote \(rows) \(table.rawValue) to \(out)") }
        }
    }
}
