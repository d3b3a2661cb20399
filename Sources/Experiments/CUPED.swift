/// CUPED (Deng, Xu, Kohavi & Walker 2013): subtract from each user's metric the part its
/// pre-experiment behaviour predicts, θ·(x − x̄), where x is the user's mean session length
/// before the experiment. Assignment is independent of x, so the estimate stays unbiased and
/// the test calibrated; the variance shrinks by the squared correlation of metric and x.
/// For ratio metrics the adjustment acts on the delta-method linearisation (one θ per arm, as
/// in Lin 2013's regression with interactions: never less efficient than one pooled θ).
public enum CUPED {
    public struct Adjustment: Sendable, Equatable {
        public var theta: Double
        /// One covariate per unit of the group, in the group's unit order.
        public var covariates: [Double]
        /// Mean covariate over every unit of every arm.
        public var overallMean: Double
    }

    public struct Arm: Sendable {
        public var numerators: [Double]
        public var denominators: [Double]
        public var covariates: [Double]
        public init(numerators: [Double], denominators: [Double], covariates: [Double]) {
            self.numerators = numerators
            self.denominators = denominators
            self.covariates = covariates
        }
    }

    /// One θ per arm, θ_k = Cov(l, x) / Var(x) over the arm's users (l the user's linearised
    /// metric): each arm's variance is then as small as its covariate allows, and an arm with a
    /// far larger spread (an upper bound beside baselines) cannot inflate the others, as one
    /// pooled θ would. Every arm is shifted towards the same x̄, the mean over all arms given.
    /// nil when the covariate does not vary within some arm (nothing to learn from).
    public static func adjustments(for arms: [Arm]) -> [Adjustment]? {
        let all = arms.flatMap(\.covariates)
        guard !all.isEmpty else { return nil }
        let overallMean = all.reduce(0, +) / Double(all.count)
        var result: [Adjustment] = []
        for arm in arms {
            let ls = RatioEstimate.linearised(numerators: arm.numerators, denominators: arm.denominators)
            let xs = arm.covariates
            guard xs.count > 2 else { return nil }
            let n = Double(xs.count)
            let meanX = xs.reduce(0, +) / n, meanL = ls.reduce(0, +) / n
            var covariance = 0.0, varianceX = 0.0
            for (l, x) in zip(ls, xs) {
                covariance += (l - meanL) * (x - meanX)
                varianceX += (x - meanX) * (x - meanX)
            }
            guard varianceX > 0, covariance.isFinite else { return nil }
            result.append(Adjustment(theta: covariance / varianceX, covariates: xs, overallMean: overallMean))
        }
        return result
    }
}
