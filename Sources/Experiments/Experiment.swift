import Core
import Recommenders
import Simulator

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

    /// The per-arm report of a finished run; `prePeriod` (user → mean session length before the
    /// experiment) turns on CUPED.
    public func report(_ result: SimulationResult, prePeriod: [Int64: Double] = [:]) -> StatsReport {
        var groups = arms.map { ReportGroup(name: $0, sessions: []) }
        var sessions = arms.map { _ in [SessionMetrics]() }
        for s in result.sessions {
            sessions[Int(s.arm)].append(.simulated(user: s.user, length: s.length, plays: Int(s.plays), skips: Int(s.skips),
                                                   strategy: strategies[Int(s.arm)]))
        }
        for i in groups.indices { groups[i] = ReportGroup(name: arms[i], sessions: sessions[i]) }
        return StatsReport(title: "experiment \(name)", design: .randomised, groups: groups, control: control,
                           prePeriod: prePeriod)
    }
}

extension StatsReport {
    /// A single-strategy run as a one-group report.
    public init(run result: SimulationResult, title: String, group: String) {
        self.init(title: title, design: .observational, groups: [ReportGroup(name: group, sessions: result.sessions.map {
            .simulated(user: $0.user, length: $0.length, plays: Int($0.plays), skips: Int($0.skips), strategy: group)
        })])
    }
}
