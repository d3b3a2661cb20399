/// Treatment against control for a ratio metric of independent groups of users: the absolute
/// difference with a Welch–Satterthwaite t interval (degrees of freedom from the users of each
/// arm), the relative difference R_t / R_c − 1 with its own delta-method interval (the control's
/// variance counts too), the p-value, and the smallest effect this size of experiment detects.
public struct RatioComparison: Sendable, Equatable, Codable {
    public var difference: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// Relative difference as a fraction (0.05 = +5%) and its interval.
    public var relative: Double
    public var relativeLow: Double
    public var relativeHigh: Double
    public var t: Double
    public var degreesOfFreedom: Double
    public var pValue: Double
    /// Minimum detectable effect at `power` (two-sided test at the report's α): absolute and
    /// as a fraction of the control.
    public var minimumDetectableEffect: Double
    public var relativeMinimumDetectableEffect: Double

    public static let power = 0.8

    public init(treatment: RatioEstimate, control: RatioEstimate, confidence: Double = 0.95) {
        difference = treatment.value - control.value
        relative = treatment.value / control.value - 1
        let vt = treatment.variance, vc = control.variance
        let se = (vt + vc).squareRoot()
        guard treatment.units > 1, control.units > 1, se.isFinite, se > 0 else {
            ciLow = .nan; ciHigh = .nan; relativeLow = .nan; relativeHigh = .nan
            t = .nan; degreesOfFreedom = .nan; pValue = .nan
            minimumDetectableEffect = .nan; relativeMinimumDetectableEffect = .nan
            return
        }
        let df = (vt + vc) * (vt + vc) / (vt * vt / treatment.degreesOfFreedom + vc * vc / control.degreesOfFreedom)
        degreesOfFreedom = df
        t = difference / se
        pValue = StudentT.twoSidedP(t, df: df)
        let q = StudentT.quantile(0.5 + confidence / 2, df: df)
        ciLow = difference - q * se
        ciHigh = difference + q * se
        // Var(R_t / R_c) ≈ v_t / R_c² + R_t² v_c / R_c⁴ for independent arms (first-order delta method).
        let rc = control.value, rt = treatment.value
        let relativeSE = (vt / (rc * rc) + rt * rt * vc / (rc * rc * rc * rc)).squareRoot()
        relativeLow = relative - q * relativeSE
        relativeHigh = relative + q * relativeSE
        minimumDetectableEffect = (q + StudentT.quantile(Self.power, df: df)) * se
        relativeMinimumDetectableEffect = minimumDetectableEffect / abs(rc)
    }

    public func isSignificant(at alpha: Double) -> Bool { pValue < alpha }
}
