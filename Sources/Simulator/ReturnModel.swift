import Core
import Foundation

/// Returning listeners: botify's own model of when a simulated user comes back (the course
/// simulates one session at a time and has none; docs/LONG-TERM.md has the formulas). Opt-in:
/// without it every user of a multi-day run comes back every day, as the course's day cycle does.
///
/// After a day on which a user listened, with mean session length L that day and a typical
/// length T (an exponential moving average of their own earlier days, `referenceLength` before
/// the first), let r = L / T and k the days in a row they have come (1 on a first or
/// after-a-gap day). Then
/// - they churn (never come back) with probability q = min(1, baseChurn · exp(−churnSensitivity · (r − 1)));
/// - otherwise they wait D ~ Exponential(λ) days with λ = baseRate · r^sensitivity · exp(−fatigue · (k − 1)),
///   and come back on day `today + 1 + ⌊D⌋`, so P(back tomorrow) = 1 − e^(−λ);
/// - T becomes (1 − typicalLengthWeight) · T + typicalLengthWeight · L.
/// A session that went better than usual brings them back sooner and keeps them; a long streak
/// tires them. `baseRate = ∞` and `baseChurn = 0` bring everyone back every day.
public struct ReturnModel: Codable, Sendable, Equatable {
    /// λ at r = 1 on the first day of a streak, in returns per day.
    public var baseRate: Double
    /// How strongly λ follows r.
    public var sensitivity: Double
    /// How much each extra day in a row lowers λ (multiplicatively, e^−fatigue per day).
    public var fatigue: Double
    /// Churn probability after a typical day.
    public var baseChurn: Double
    /// How strongly churn falls as r rises.
    public var churnSensitivity: Double
    /// Weight of the latest day in the typical length.
    public var typicalLengthWeight: Double
    /// A user's typical length before their first day (about `random`'s mean session length).
    public var referenceLength: Double

    public init(baseRate: Double = 0.7, sensitivity: Double = 2, fatigue: Double = 0.1, baseChurn: Double = 0.02,
                churnSensitivity: Double = 2, typicalLengthWeight: Double = 0.3, referenceLength: Double = 2.5) {
        self.baseRate = baseRate
        self.sensitivity = sensitivity
        self.fatigue = fatigue
        self.baseChurn = baseChurn
        self.churnSensitivity = churnSensitivity
        self.typicalLengthWeight = typicalLengthWeight
        self.referenceLength = referenceLength
    }

    /// Everyone comes back the next day and nobody churns: a multi-day run without the model.
    public static let everyDay = ReturnModel(baseRate: .infinity, baseChurn: 0)

    /// λ for a day that went `ratio` times the typical length, the `streak`-th day in a row.
    public func rate(ratio: Double, streak: Int) -> Double {
        guard baseRate.isFinite else { return .infinity }
        return baseRate * pow(max(ratio, 0), sensitivity) * exp(-fatigue * Double(max(streak, 1) - 1))
    }

    /// Churn probability after a day that went `ratio` times the typical length.
    public func churnProbability(ratio: Double) -> Double {
        min(1, max(0, baseChurn * exp(-churnSensitivity * (ratio - 1))))
    }

    /// Updates `state` after the user listened on `day` with mean session length `length`:
    /// churn or the next day they come, then the typical length and the streak.
    public func afterDay(_ state: inout ReturnState, day: Int, meanLength length: Double,
                         using rng: inout SeededGenerator) {
        let ratio = length / state.typicalLength
        let streak = state.lastDay == day - 1 ? state.streak + 1 : 1
        state.streak = streak
        state.lastDay = day
        state.typicalLength = (1 - typicalLengthWeight) * state.typicalLength + typicalLengthWeight * length
        // Two draws always, so a user's stream does not depend on which branch was taken.
        let churnDraw = rng.nextUnit()
        let delayDraw = rng.nextUnit()
        if churnDraw < churnProbability(ratio: ratio) {
            state.churned = true
            return
        }
        let lambda = rate(ratio: ratio, streak: streak)
        let waited = lambda.isInfinite ? 0 : (-log1p(-delayDraw) / lambda)
        // Capped so an absurdly small λ cannot overflow the day number.
        state.nextDay = day + 1 + Int(min(waited.rounded(.down), 1_000_000))
    }

    /// The stream of a user's return draws on `day`, apart from their sessions' streams (which
    /// take two parts) and the course traffic's.
    public static func stream(seed: UInt64, user: Int, day: Int) -> SeededGenerator {
        SeededGenerator(seed: seed, stream: 0x7265_7475_726E, UInt64(user), UInt64(day))  // "return"
    }
}

/// One user's place in the return model during a run.
public struct ReturnState: Sendable, Equatable {
    /// The next day they come (1 for everyone at the start).
    public var nextDay = 1
    public var churned = false
    public var typicalLength: Double
    /// The last day they listened (0: never) and how many days in a row that was.
    public var lastDay = 0
    public var streak = 0

    public init(typicalLength: Double) {
        self.typicalLength = typicalLength
    }

    public func isActive(on day: Int) -> Bool { !churned && nextDay == day }
}
