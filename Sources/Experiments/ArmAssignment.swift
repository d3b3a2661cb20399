import Core

/// Stable user → arm assignment, as the course's `experiment.py` does it: the experiment name
/// seeds a MurmurHash3 of the user id, so assignment never changes for a given experiment and
/// is independent between experiments.
public struct ArmAssignment: Sendable, Equatable {
    public let experiment: String
    public let arms: Int
    private let salt: UInt32

    public init(experiment: String, arms: Int) {
        precondition(arms > 0, "an experiment has at least one arm")
        self.experiment = experiment
        self.arms = arms
        self.salt = Murmur3.x86_32(experiment, seed: 0)
    }

    public func arm(of user: Int64) -> Int {
        Int(Murmur3.x86_32(String(user), seed: salt) % UInt32(arms))
    }
}
