import Core
import Testing
@testable import Recommenders

/// The one exact top-k (iALS evaluation, ALSRecommender's fallback scan): the k best of a
/// seeded scan, best first, whatever k is next to the number of candidates.
struct TopScoresTests {
    @Test(arguments: [0, 1, 5, 10, 99, 100, 150])
    func keepsTheKBestBestFirst(k: Int) {
        var rng = SeededGenerator(seed: UInt64(k), stream: 3)
        let scores = (0..<100).map { _ in Float(rng.nextUnit()) * 2 - 1 }
        var top = TopScores(k: k)
        for (i, s) in scores.enumerated() { top.offer(s, Int32(i)) }
        let expected = scores.enumerated().sorted { $0.element > $1.element }.prefix(k).map { Int32($0.offset) }
        let got = top.drainBestFirst()
        #expect(got.map(\.id) == expected)
        #expect(got.map(\.score) == expected.map { scores[Int($0)] })
        #expect(top.drainBestFirst().isEmpty)
    }

    /// At capacity a later candidate must beat the worst kept score, not tie it.
    @Test func aTieDoesNotDisplaceAnEarlierID() {
        var top = TopScores(k: 2)
        top.offer(1, 0)
        top.offer(0.5, 1)
        top.offer(0.5, 2)
        #expect(top.drainBestFirst().map(\.id) == [0, 1])
    }
}
