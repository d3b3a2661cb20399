#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A ratio metric over randomisation units (users): R = Σ numerator / Σ denominator, e.g.
/// mean session length = Σ listened / Σ sessions over an arm's users. Its variance comes from
/// the delta method (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics"):
/// each user contributes l = (a − R·b) / b̄, and Var(R) ≈ Var(l) / n. Counting users rather than
/// sessions is what keeps the interval honest when one user's sessions are alike.
public struct RatioEstimate: Sendable, Equatable, Codable {
    /// Users (units of analysis) that contributed.
    public var units: Int
    public var numerator: Double
    public var denominator: Double
    public var value: Double
    /// Delta-method variance of `value`; NaN below two units.
    public var variance: Double
    public var degreesOfFreedom: Double
    public var ciLow: Double
    public var ciHigh: Double

    public var standardError: Double { variance.squareRoot() }

    /// `numerators[i]` and `denominators[i]` are user i's totals. `adjustment` (CUPED) replaces
    /// each user's linearised value l by l − θ·(x − x̄) before the variance is taken; the point
    /// estimate moves by −θ·(x̄_group − x̄_all) (see `CUPED`).
    public init(numerators: [Double], denominators: [Double], confidence: Double = 0.95,
                adjustment: CUPED.Adjustment? = nil) {
        precondition(numerators.count == denominators.count, "one numerator and one denominator per unit")
        units = numerators.count
        numerator = numerators.reduce(0, +)
        denominator = denominators.reduce(0, +)
        guard units > 0, denominator > 0 else {
            value = .nan; variance = .nan; degreesOfFreedom = .nan; ciLow = .nan; ciHigh = .nan
            return
        }
        let n = Double(units)
        let ratio = numerator / denominator
        var linearised = Self.linearised(numerators: numerators, denominators: denominators)
        var shift = 0.0
        if let adjustment {
            precondition(adjustment.covariates.count == units, "one covariate per unit")
            let groupMean = adjustment.covariates.reduce(0, +) / n
            for i in linearised.indices {
                linearised[i] -= adjustment.theta * (adjustment.covariates[i] - groupMean)
            }
            shift = -adjustment.theta * (groupMean - adjustment.overallMean)
        }
        value = ratio + shift
        degreesOfFreedom = n - 1
        guard units > 1 else {
            variance = .nan; ciLow = .nan; ciHigh = .nan
            return
        }
        let mean = linearised.reduce(0, +) / n
        variance = linearised.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) / n
        let half = StudentT.quantile(0.5 + confidence / 2, df: n - 1) * variance.squareRoot()
        ciLow = value - half
        ciHigh = value + half
    }

    /// Each unit's first-order contribution (a − R·b) / b̄ to the ratio R = Σa / Σb.
    public static func linearised(numerators: [Double], denominators: [Double]) -> [Double] {
        let total = denominators.reduce(0, +)
        guard total > 0 else { return Array(repeating: .nan, count: numerators.count) }
        let ratio = numerators.reduce(0, +) / total
        let meanDenominator = total / Double(denominators.count)
        return zip(numerators, denominators).map { ($0 - ratio * $1) / meanDenominator }
    }
}
