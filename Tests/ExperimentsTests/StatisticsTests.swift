import Testing
@testable import Experiments

@Suite struct StatisticsTests {
    func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool { abs(a - b) <= tolerance }

    @Test func incompleteBetaKnownValues() {
        #expect(close(IncompleteBeta.regularized(x: 0.5, a: 2, b: 3), 0.6875, 1e-12))
        #expect(close(IncompleteBeta.regularized(x: 0.3, a: 1, b: 1), 0.3, 1e-12))
        #expect(close(IncompleteBeta.regularized(x: 0.9, a: 0.5, b: 0.5), 0.7951672353008665, 1e-10))
    }

    @Test func studentTKnownValues() {
        // Values from standard t tables (scipy.stats.t).
        #expect(close(StudentT.cdf(1, df: 1), 0.75, 1e-12))
        #expect(close(StudentT.cdf(2, df: 10), 0.9633059826146299, 1e-10))
        #expect(close(StudentT.cdf(-1.5, df: 5), 0.09695184012123664, 1e-10))
        #expect(close(StudentT.quantile(0.975, df: 10), 2.2281388519649385, 1e-8))
        #expect(close(StudentT.quantile(0.975, df: 1), 12.706204736174698, 1e-7))
        #expect(close(StudentT.quantile(0.975, df: 1e6), 1.959966, 1e-5))
        #expect(close(StudentT.twoSidedP(2.228138851964938, df: 10), 0.05, 1e-9))
        #expect(close(StudentT.cdf(0.3, df: 3.7), 1 - StudentT.cdf(-0.3, df: 3.7), 1e-12))
    }

    @Test func sampleStatistics() {
        let s = SampleStatistics([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.mean == 5)
        #expect(close(s.variance, 32.0 / 7))
        #expect(s.median == 4.5)
        let half = 2.3646242510102993 * (32.0 / 7 / 8).squareRoot()
        #expect(close(s.ciLow, 5 - half, 1e-8) && close(s.ciHigh, 5 + half, 1e-8))
    }

    @Test func welchMatchesAHandComputedExample() {
        // a = [1..5], b = [2,4,6,8,10]: scipy.stats.ttest_ind(b, a, equal_var=False) → t=1.8974, df=5.882, p=0.10753.
        let a = SampleStatistics([1, 2, 3, 4, 5]), b = SampleStatistics([2, 4, 6, 8, 10])
        let w = WelchComparison(treatment: b, control: a)
        #expect(w.difference == 3)
        #expect(close(w.t, 1.8973665961010275, 1e-9))
        #expect(close(w.degreesOfFreedom, 5.882352941176471, 1e-9))
        #expect(close(w.pValue, 0.10753119493062728, 1e-9))
        #expect(close(w.relative, 100))
    }
}
