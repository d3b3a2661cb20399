/// Sample-ratio mismatch: Pearson's chi-square test of users per arm against the split the
/// assignment promises. A broken assignment or a filter that drops one arm's users biases every
/// other figure of the report, so a mismatch is reported loudly instead of passing silently.
public struct SampleRatioCheck: Sendable, Equatable, Codable {
    public var observed: [Int]
    public var expectedShares: [Double]
    public var chiSquare: Double
    public var degreesOfFreedom: Int
    public var pValue: Double
    /// Below this p-value the split is called a mismatch (the common industry threshold, strict
    /// because the check runs on every report).
    public static let threshold = 0.001

    public var mismatch: Bool { pValue < Self.threshold }

    public init(observed: [Int], expectedShares: [Double]? = nil) {
        precondition(observed.count >= 2, "a split needs two arms")
        let shares = expectedShares ?? Array(repeating: 1 / Double(observed.count), count: observed.count)
        precondition(shares.count == observed.count, "one expected share per arm")
        self.observed = observed
        self.expectedShares = shares
        let total = Double(observed.reduce(0, +))
        degreesOfFreedom = observed.count - 1
        guard total > 0 else {
            chiSquare = .nan; pValue = .nan
            return
        }
        chiSquare = zip(observed, shares).reduce(0) { sum, pair in
            let expected = total * pair.1
            let gap = Double(pair.0) - expected
            return sum + gap * gap / expected
        }
        pValue = ChiSquared.survival(chiSquare, df: Double(degreesOfFreedom))
    }
}
