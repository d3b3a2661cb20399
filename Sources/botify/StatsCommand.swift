import ArgumentParser
import Core
import Experiments
import Storage

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Report session statistics from the database.",
        discussion: """
        With --experiment, one row per arm and each arm's uplift against the experiment's control \
        (Welch's t-test). Otherwise one row per strategy, with uplifts against --control when given. \
        Sessions still being written are left out.
        """)

    @Option(help: "Only this experiment's sessions, grouped by arm.")
    var experiment: String?

    @Option(help: "Only sessions of this strategy.")
    var strategy: String?

    @Option(help: "Only sessions from this listener source (human, bot, sim).")
    var source: ListenerSource?

    @Option(help: "Group to compare the others against. Default: the experiment's control.")
    var control: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            let db = try database.openDatabase()
            let sessions = try db.sessionSummaries(SessionFilter(experiment: experiment, strategy: strategy, source: source))
            var title = "sessions in \(db.path)"
            let report: StatsReport
            if let experiment {
                guard let record = try db.experiments.load(experiment) else {
                    throw InputError(file: db.path, field: "--experiment", value: experiment, "no such experiment")
                }
                title = "experiment \(experiment) (seed \(record.seed), \(record.users) users × \(record.sessionsPerUser) sessions)"
                report = StatsReport(stored: sessions, title: title, by: .arm, order: record.arms,
                                     control: control ?? record.control)
            } else {
                var filters: [String] = []
                if let strategy { filters.append("strategy \(strategy)") }
                if let source { filters.append("source \(source.rawValue)") }
                if !filters.isEmpty { title += " (" + filters.joined(separator: ", ") + ")" }
                report = StatsReport(stored: sessions, title: title, by: .strategy, control: control)
            }
            if let control, !report.groups.contains(where: { $0.name == control }) {
                throw InputError(field: "--control", value: control,
                                 "no such group; groups: \(report.groups.map(\.name).joined(separator: ", "))")
            }
            if json {
                print(try report.json())
            } else if sessions.isEmpty {
                print(title + "\nno finished sessions match")
            } else {
                print(report.table(), terminator: "")
            }
        }
    }
}
