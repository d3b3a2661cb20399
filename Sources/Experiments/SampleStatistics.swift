/// Mean, spread and a t-based 95% confidence interval of one sample (e.g. session lengths).
public struct SampleStatistics: Sendable, Equatable, Codable {
    public var count: Int
    public var mean: Double
    /// Sample variance (n − 1 denominator); 0 for fewer than two values.
    public var variance: Double
    public var median: Double
    public var ciLow: Double
    public var ciHigh: Double

    public init(_ values: [Double], confidence: Double = 0.95) {
        count = values.count
        guard !values.isEmpty else {
            mean = .nan; variance = .nan; median = .nan; ciLow = .nan; ciHigh = .nan
            return
        }
        // Two-pass mean/variance: exact enough for millions of sessions without Welford's overhead.
        let n = Double(values.count)
        mean = values.reduce(0, +) / n
        let m = mean
        variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
        let sorted = values.sorted()
        let mid = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        if values.count > 1 {
            let half = StudentT.quantile(0.5 + confidence / 2, df: n - 1) * (variance / n).squareRoot()
            ciLow = mean - half
            ciHigh = mean + half
        } else {
            ciLow = .nan
            ciHigh = .nan
        }
    }

    public var standardError: Double { (variance / Double(count)).squareRoot() }
}

/// Welch's unequal-variance t-test of treatment against control, with the difference's
/// confidence interval in absolute terms and relative to the control mean.
public struct WelchComparison: Sendable, Equatable, Codable {
    public var difference: Double
    public var ciLow: Double
    public var ciHigh: Double
    /// Difference in percent of the control mean, and its interval scaled the same way
    /// (the control mean is treated as fixed: a simple, commonly used approximation).
    public var relative: Double
    public var relativeLow: Double
    public var relativeHigh: Double
    public var t: Double
    public var degreesOfFreedom: Double
    public var pValue: Double

    public init(treatment: SampleStatistics, control: SampleStatistics, confidence: Double = 0.95) {
        difference = treatment.mean - control.mean
        let vt = treatment.variance / Double(treatment.count)
        let vc = control.variance / Double(control.count)
        let se = (vt + vc).squareRoot()
        if treatment.count > 1, control.count > 1, se > 0 {
            let df = (vt + vc) * (vt + vc)
                / (vt * vt / Double(treatment.count - 1) + vc * vc / Double(control.count - 1))
            degreesOfFreedom = df
            t = difference / se
            pValue = StudentT.twoSidedP(t, df: df)
            let half = StudentT.quantile(0.5 + confidence / 2, df: df) * se
            ciLow = difference - half
            ciHigh = difference + half
        } else {
            degreesOfFreedom = .nan
            t = .nan
            pValue = .nan
            ciLow = .nan
            ciHigh = .nan
        }
        let base = control.mean
        relative = difference / base * 100
        relativeLow = ciLow / base * 100
        relativeHigh = ciHigh / base * 100
    }

    public func isSignificant(at alpha: Double = 0.05) -> Bool { pValue < alpha }
}
