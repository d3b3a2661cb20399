#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The chi-square distribution's upper tail through the regularized incomplete gamma function
/// (series below a + 1, continued fraction above, as in Numerical Recipes §6.2).
public enum ChiSquared {
    /// P(X ≥ x) for `df` degrees of freedom.
    public static func survival(_ x: Double, df: Double) -> Double {
        precondition(df > 0, "degrees of freedom must be positive")
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        return IncompleteGamma.upper(a: df / 2, x: x / 2)
    }
}

public enum IncompleteGamma {
    /// Q(a, x) = Γ(a, x) / Γ(a).
    public static func upper(a: Double, x: Double) -> Double {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x <= 0 { return 1 }
        let logFront = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logFront))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logFront) * h)
    }
}
