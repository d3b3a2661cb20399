import Core

/// Weights of the parts a hidden track vector is built from (docs/ARCHITECTURE.md §3).
public struct TasteWeights: Codable, Sendable, Equatable {
    public var genre = 1.0
    public var subgenre = 0.7
    public var artist = 0.7
    public var features = 0.5
    public var noise = 0.6

    public init() {}
}

/// Everything that defines a simulated world besides the catalog. Saved with every run that
/// used it (as JSON) so a run can be reproduced and audited.
public struct WorldConfig: Codable, Sendable, Equatable {
    public var seed: UInt64 = 0
    public var dimensions = 32
    public var weights = TasteWeights()
    public var users = 10_000
    /// Interests per user: 1 + Binomial(interestTrials, interestProbability).
    public var interestTrials = 5
    public var interestProbability = 0.5
    public var opennessRange: ClosedRange<Double> = 0.25...0.75
    public var consumeBiasRange: ClosedRange<Double> = 0.1...0.6
    public var consumeSharpnessRange: ClosedRange<Double> = 4...15
    public var sessionBudget = 5
    public var artistDiscountGamma = 0.8
    /// The first track of a session is drawn from this many nearest tracks to the interest: every
    /// generated user's `interest_neighbours`, and the default for an imported user without one.
    public var interestNeighbours = 10
    /// A next interest (when not drawn afresh) comes from this many nearest tracks by another artist.
    public var interestPool = 50
    /// Where the world came from: "generated", or the directory it was imported from.
    public var origin = "generated"
    /// Fingerprint of the catalog the world was built on.
    public var catalogFingerprint = ""

    public init(seed: UInt64 = 0, users: Int = 10_000) {
        self.seed = seed
        self.users = users
    }
}
