import Core
import Recommenders
import Simulator
import Storage

/// An A/B experiment over simulated users: arms are strategies, users are split between them
/// by `ArmAssignment` (the course's murmur3 rule), and every session records experiment and arm.
public struct Experiment: Sendable {
    public var name: String
    /// Arm labels, in assignment order: the strategy names, with "#2", "#3" added to repeats
    /// (an A/A test runs one strategy in two arms).
    public var arms: [String]
    public var strategies: [String]
    public var control: String

    public init(name: String, strategies: [String], control: String? = nil) throws {
        guard !name.isEmpty else { throw InputError(field: "experiment", value: name, "an experiment needs a name") }
        guard strategies.count >= 2 else {
            throw InputError(field: "arms", value: strategies.joined(separator: ","), "an experiment needs at least two arms")
        }
        var counts: [String: Int] = [:]
        arms = strategies.map { s in
            counts[s, default: 0] += 1
            return counts[s]! == 1 ? s : "\(s)#\(counts[s]!)"
        }
        self.name = name
        self.strategies = strategies
        let control = control ?? arms[0]
        guard arms.contains(control) else {
            throw InputError(field: "control", value: control, "not one of the arms (\(arms.joined(separator: ", ")))")
        }
        self.control = control
    }

    public var assignment: ArmAssignment { ArmAssignment(experiment: name, arms: arms.count) }

    /// The simulation plan for this experiment (recommenders in arm order).
    public func plan(recommenders: [any Recommender], users: Int, sessionsPerUser: Int, seed: UInt64,
                     threads: Int) -> SimulationPlan {
        let assignment = self.assignment
        return SimulationPlan(users: users, sessionsPerUser: sessionsPerUser, seed: seed, threads: threads,
                              experiment: name,
                              arms: zip(arms, recommenders).map { SimulationArm(name: $0, recommender: $1) },
                              assignment: { assignment.arm(of: $0) })
    }

    /// The per-arm report of a finished run.
    public func report(_ result: SimulationResult) -> StatsReport {
        var groups = arms.map { (name: $0, sessions: [SessionMetrics]()) }
        for s in result.sessions {
            groups[Int(s.arm)].sessions.append(SessionMetrics(user: s.user, length: s.length, plays: Int(s.plays),
                                                              skips: Int(s.skips)))
        }
        return StatsReport(title: "experiment \(name)", groups: groups, control: control)
    }
}

extension StatsReport {
    /// A single-strategy run as a one-group report.
    public init(run result: SimulationResult, title: String, group: String) {
        self.init(title: title, groups: [(group, result.sessions.map {
            SessionMetrics(user: $0.user, length: $0.length, plays: Int($0.plays), skips: Int($0.skips))
        })])
    }

    public enum Grouping: String, Sendable, CaseIterable {
        case arm, strategy, source
    }

    /// A report from stored sessions, grouped by arm, strategy or source; groups appear in
    /// `order` first (e.g. an experiment's arms), then by name.
    public init(stored sessions: [SessionSummary], title: String, by grouping: Grouping, order: [String] = [],
                control: String? = nil) {
        var buckets: [String: [SessionMetrics]] = [:]
        for s in sessions {
            let key: String
            switch grouping {
            case .arm: key = s.arm ?? "(no arm)"
            case .strategy: key = s.strategy
            case .source: key = s.source.rawValue
            }
            buckets[key, default: []].append(SessionMetrics(user: s.user, length: s.length, plays: s.plays, skips: s.skips))
        }
        let names = order.filter { buckets[$0] != nil } + buckets.keys.filter { !order.contains($0) }.sorted()
        self.init(title: title, groups: names.map { ($0, buckets[$0]!) },
                  control: control.flatMap { buckets[$0] == nil ? nil : $0 })
    }
}
