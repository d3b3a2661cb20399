import Core
import Testing
@testable import Experiments

@Suite struct StatisticsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

    @Test func incompleteBetaKnownValues() {
        #expect(close(IncompleteBeta.regularized(x: 0.5, a: 2, b: 3), 0.6875, 1e-12))
        #expect(close(IncompleteBeta.regularized(x: 0.3, a: 1, b: 1), 0.3, 1e-12))
        #expect(close(IncompleteBeta.regularized(x: 0.9, a: 0.5, b: 0.5), 0.7951672353008665, 1e-10))
    }

    @Test func studentTKnownValues() {
        // Values from scipy.stats.t.
        #expect(close(StudentT.cdf(1, df: 1), 0.75, 1e-12))
        #expect(close(StudentT.cdf(2, df: 10), 0.9633059826146299, 1e-10))
        #expect(close(StudentT.cdf(-1.5, df: 5), 0.09695184012123664, 1e-10))
        #expect(close(StudentT.quantile(0.975, df: 10), 2.2281388519649385, 1e-8))
        #expect(close(StudentT.quantile(0.975, df: 1), 12.706204736174698, 1e-7))
        #expect(close(StudentT.quantile(0.975, df: 1e6), 1.959966, 1e-5))
        #expect(close(StudentT.twoSidedP(2.228138851964938, df: 10), 0.05, 1e-9))
    }

    @Test func chiSquareSurvivalMatchesScipy() {
        // scipy.stats.chi2.sf
        #expect(close(ChiSquared.survival(7.5, df: 3), 0.0575584519726364, 1e-12))
        #expect(close(ChiSquared.survival(0.5, df: 1), 0.479500122186953, 1e-12))
        #expect(close(ChiSquared.survival(30, df: 10), 0.000856641210775301, 1e-13))
    }

    /// Per-user totals (Σ session length, sessions). Reference values computed independently with
    /// numpy/scipy from Deng et al.'s formula in means and covariances, not from the linearisation:
    /// var = (s_a²/b̄² − 2 ā s_ab / b̄³ + ā² s_b² / b̄⁴) / n; Welch–Satterthwaite df; scipy.stats.t.
    static let control = (length: [3.0, 7.5, 2.25, 10.0, 4.0, 6.5], sessions: [1.0, 3, 1, 4, 2, 2])
    static let treatment = (length: [5.0, 9.75, 3.5, 12.0, 8.25], sessions: [2.0, 3, 1, 4, 3])

    @Test func deltaMethodRatioMatchesNumpy() {
        let c = RatioEstimate(numerators: Self.control.length, denominators: Self.control.sessions)
        #expect(c.units == 6)
        #expect(close(c.value, 2.55769230769231, 1e-12))
        #expect(close(c.variance, 0.0250989111025524, 1e-12))
        #expect(close(c.ciLow, 2.1504443879624, 1e-9) && close(c.ciHigh, 2.96494022742222, 1e-9))
    }

    @Test func comparisonMatchesNumpy() {
        let c = RatioEstimate(numerators: Self.control.length, denominators: Self.control.sessions)
        let t = RatioEstimate(numerators: Self.treatment.length, denominators: Self.treatment.sessions)
        let d = RatioComparison(treatment: t, control: c)
        #expect(close(d.difference, 0.403846153846154, 1e-12))
        #expect(close(d.degreesOfFreedom, 8.94585093267948, 1e-9))
        #expect(close(d.t, 1.96499009884537, 1e-9))
        #expect(close(d.pValue, 0.0811860510959015, 1e-9))
        #expect(close(d.ciLow, -0.0615033156373631, 1e-8) && close(d.ciHigh, 0.869195623329671, 1e-8))
        #expect(close(d.relative, 0.157894736842105, 1e-12))
        #expect(close(d.relativeLow, -0.0416160796881305, 1e-8) && close(d.relativeHigh, 0.357405553372341, 1e-8))
        #expect(close(d.minimumDetectableEffect, 0.646961569069469, 1e-8))
    }

    @Test func oneSessionPerUserIsWelchOnUsers() {
        // With one session each the ratio is the mean and the test is Welch's:
        // scipy.stats.ttest_ind([2,4,6,8,10], [1,2,3,4,5], equal_var=False) → t=1.8974, df=5.882, p=0.10753.
        let ones = [Double](repeating: 1, count: 5)
        let a = RatioEstimate(numerators: [1, 2, 3, 4, 5], denominators: ones)
        let b = RatioEstimate(numerators: [2, 4, 6, 8, 10], denominators: ones)
        let w = RatioComparison(treatment: b, control: a)
        #expect(w.difference == 3 && close(w.relative, 1))
        #expect(close(w.t, 1.8973665961010275) && close(w.degreesOfFreedom, 5.882352941176471))
        #expect(close(w.pValue, 0.10753119493062728))
    }

    @Test func tooFewUsersGiveNoInterval() {
        let one = RatioEstimate(numerators: [4.5], denominators: [3])
        #expect(one.value == 1.5 && one.ciLow.isNaN && one.ciHigh.isNaN)
        let none = RatioEstimate(numerators: [], denominators: [])
        #expect(none.value.isNaN)
    }

    @Test func holmOnAFixedVector() {
        let adjusted = Holm.adjust([0.01, 0.04, 0.03, 0.005])
        for (a, b) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) { #expect(close(a, b, 1e-12)) }
        let withGap = Holm.adjust([0.02, .nan, 0.5])
        #expect(close(withGap[0], 0.04) && withGap[1].isNaN && close(withGap[2], 0.5))
    }

    @Test func sampleRatioMismatch() {
        // scipy.stats.chisquare([168, 132]).pvalue = 0.0376669; ([600, 400]) = 2.5396e-10
        let mild = SampleRatioCheck(observed: [168, 132])
        #expect(close(mild.pValue, 0.0376669222286287, 1e-10) && !mild.mismatch)
        let induced = SampleRatioCheck(observed: [600, 400])
        #expect(close(induced.pValue, 2.53962858947086e-10, 1e-15) && induced.mismatch)
    }

    @Test func reportFlagsAnInducedSixtyFortySplit() throws {
        func sessions(_ users: Range<Int64>) -> [SessionMetrics] {
            users.map { SessionMetrics(user: $0, length: Double($0 % 5), plays: 3, skips: 1) }
        }
        let report = StatsReport(title: "t", design: .randomised,
                                 groups: [ReportGroup(name: "a", sessions: sessions(0..<600)),
                                          ReportGroup(name: "b", sessions: sessions(600..<1000))], control: "a")
        #expect(report.sampleRatio?.mismatch == true)
        #expect(report.table().contains("SAMPLE RATIO MISMATCH: users per arm 600/400"))
        #expect(try report.json().contains("\"sampleRatio\""))
    }

    @Test func significanceUsesTheHolmAdjustedPValue() {
        // Three treatments against one control: the verdicts follow the adjusted p-values.
        var rng = SeededGenerator(seed: 3)
        func arm(_ shift: Double, _ base: Int64) -> ReportGroup {
            ReportGroup(name: "x\(base)", sessions: (0..<40).map { i in
                SessionMetrics(user: base + i, length: 2 + shift + Double.random(in: -1...1, using: &rng), plays: 2, skips: 0)
            })
        }
        let report = StatsReport(title: "t", design: .randomised,
                                 groups: [arm(0, 0), arm(0.05, 100), arm(0.3, 200), arm(0.9, 300)], control: "x0")
        let raw = report.uplifts.map(\.length.pValue)
        #expect(report.uplifts.map(\.adjustedPValue) == Holm.adjust(raw))
        for u in report.uplifts { #expect(u.significant == (u.adjustedPValue < 0.05)) }
    }
}
