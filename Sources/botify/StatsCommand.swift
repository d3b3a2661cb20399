import ArgumentParser
import Core
import Experiments
import Storage

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Report session statistics from the database.",
        discussion: """
        Every figure is computed over users, the unit of randomisation: mean session length is \
        Σ length / Σ sessions over a group's users with a delta-method interval, and uplifts use \
        Welch's t with degrees of freedom from users and Holm-adjusted p-values. \
        With --experiment, that experiment's arms against its control, with a sample-ratio check \
        and CUPED when its users have earlier sessions on the same world. Without it, one report \
        per stored experiment, then the sessions outside experiments by strategy (observational: \
        nobody was randomised); --strategy and --source filter those outside experiments only. A session that switched strategy mid-way is left out of session \
        lengths and counted as mixed; its plays still count for the strategies that chose them. \
        Sessions still being written are left out.
        """)

    @Option(help: "Only this experiment's sessions, grouped by arm.")
    var experiment: String?

    @Option(help: "Only sessions of this strategy.")
    var strategy: String?

    @Option(help: "Only sessions from this listener source (human, bot, sim, remote).")
    var source: ListenerSource?

    @Option(help: "Group to compare the others against. Default: the experiment's control.")
    var control: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try reportingErrors {
            if experiment != nil, strategy != nil || source != nil {
                throw InputError(field: strategy != nil ? "--strategy" : "--source", value: strategy ?? source?.rawValue ?? "",
                                 "an experiment is compared whole (every arm, every user); drop the filter or --experiment")
            }
            let db = try database.openDatabase(mustExist: true)
            let filter = SessionFilter(experiment: experiment, strategy: strategy, source: source)
            // A filter would cut arms out of an experiment (and fake a sample-ratio mismatch), so
            // filtered reports cover only the sessions outside experiments.
            let filtered = strategy != nil || source != nil
            let sessions = try db.sessionSummaries(filter)
            let recommended = try db.recommendedPlays(filter)
            var reports: [StatsReport] = []
            if let experiment {
                guard let record = try db.experiments.load(experiment) else {
                    throw InputError(file: db.path, field: "--experiment", value: experiment, "no such experiment")
                }
                reports.append(StatsReport(experiment: record, sessions: sessions, recommended: recommended,
                                           prePeriod: try db.prePeriod(of: record, sessions: sessions), control: control))
            } else {
                var byExperiment: [String: [SessionSummary]] = [:]
                var outside: [SessionSummary] = []
                for s in sessions {
                    if let e = s.experiment { byExperiment[e, default: []].append(s) } else { outside.append(s) }
                }
                for record in try db.experiments.all().sorted(by: { $0.createdAt < $1.createdAt }) where !filtered {
                    guard let own = byExperiment[record.name] else { continue }
                    reports.append(StatsReport(experiment: record, sessions: own, recommended: recommended,
                                               prePeriod: try db.prePeriod(of: record, sessions: own)))
                }
                if !outside.isEmpty {
                    var title = "sessions outside experiments in \(db.path)"
                    var filters: [String] = []
                    if let strategy { filters.append("strategy \(strategy)") }
                    if let source { filters.append("source \(source.rawValue)") }
                    if !filters.isEmpty { title += " (" + filters.joined(separator: ", ") + ")" }
                    reports.append(StatsReport(observational: outside, title: title, recommended: recommended, control: control))
                }
            }
            if let control, let last = reports.last, !last.groups.contains(where: { $0.name == control }) {
                throw InputError(field: "--control", value: control,
                                 "no such group; groups: \(last.groups.map(\.name).joined(separator: ", "))")
            }
            if json {
                print(experiment != nil ? try reports[0].json() : try StatsReport.json(reports))
            } else if reports.isEmpty {
                print("sessions in \(db.path)\nno finished sessions match")
            } else {
                print(reports.map { $0.table() }.joined(separator: "\n"), terminator: "")
            }
        }
    }
}
