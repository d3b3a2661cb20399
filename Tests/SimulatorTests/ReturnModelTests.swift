import Core
import Foundation
import Recommenders
import Testing
@testable import Simulator

@Suite struct ReturnModelTests {
    /// Draws `n` users' next day after one day at `ratio` × their typical length, on their `streak`-th day.
    func sample(_ model: ReturnModel, ratio: Double, streak: Int, n: Int) -> (churned: Int, waits: [Int]) {
        var churned = 0
        var waits: [Int] = []
        for user in 0..<n {
            var state = ReturnState(typicalLength: 2)
            state.lastDay = streak > 1 ? 9 : 0
            state.streak = streak - 1
            var rng = ReturnModel.stream(seed: 11, user: user, day: 10)
            model.afterDay(&state, day: 10, meanLength: 2 * ratio, using: &rng)
            if state.churned { churned += 1 } else { waits.append(state.nextDay - 11) }
        }
        return (churned, waits)
    }

    @Test(arguments: [(0.5, 1), (1.0, 1), (1.6, 1), (1.0, 6)])
    func returnTimesAndChurnFollowTheFormulas(ratio: Double, streak: Int) {
        let model = ReturnModel()
        let n = 40_000
        let (churned, waits) = sample(model, ratio: ratio, streak: streak, n: n)
        // Churn: Binomial(n, q).
        let q = model.churnProbability(ratio: ratio)
        #expect(abs(Double(churned) - Double(n) * q) <= 4 * (Double(n) * q * (1 - q)).squareRoot() + 1,
                "churned \(churned) of \(n), expected q = \(q)")
        // Days waited beyond tomorrow: ⌊Exponential(λ)⌋ is Geometric with P(0) = 1 − e^−λ.
        let lambda = model.rate(ratio: ratio, streak: streak)
        let pTomorrow = 1 - exp(-lambda)
        let tomorrow = Double(waits.filter { $0 == 0 }.count)
        let m = Double(waits.count)
        #expect(abs(tomorrow - m * pTomorrow) <= 4 * (m * pTomorrow * (1 - pTomorrow)).squareRoot(),
                "back tomorrow \(tomorrow) of \(m), expected \(pTomorrow)")
        let meanWait = Double(waits.reduce(0, +)) / m
        let expected = exp(-lambda) / (1 - exp(-lambda))
        let sd = (exp(-lambda)).squareRoot() / (1 - exp(-lambda))  // √Var of the geometric count
        #expect(abs(meanWait - expected) <= 4 * sd / m.squareRoot(), "mean wait \(meanWait), expected \(expected)")
    }

    @Test func aBetterDayBringsUsersBackSoonerAndAStreakTiresThem() {
        let model = ReturnModel()
        #expect(model.rate(ratio: 1.5, streak: 1) > model.rate(ratio: 1, streak: 1))
        #expect(model.rate(ratio: 1, streak: 5) < model.rate(ratio: 1, streak: 1))
        #expect(model.churnProbability(ratio: 1.5) < model.churnProbability(ratio: 1))
        #expect(model.rate(ratio: 1, streak: 1) == model.baseRate)
        #expect(model.churnProbability(ratio: 1) == model.baseChurn)
    }

    @Test func everyDayBringsEveryoneBackTomorrow() {
        let (churned, waits) = sample(.everyDay, ratio: 0.1, streak: 30, n: 2_000)
        #expect(churned == 0)
        #expect(waits.allSatisfy { $0 == 0 })
    }

    @Test func theTypicalLengthAndTheStreakAreUpdated() {
        let model = ReturnModel(baseRate: .infinity, baseChurn: 0, typicalLengthWeight: 0.25)
        var state = ReturnState(typicalLength: 2)
        var rng = ReturnModel.stream(seed: 1, user: 0, day: 1)
        model.afterDay(&state, day: 1, meanLength: 6, using: &rng)
        #expect(state.typicalLength == 3)  // 0.75 · 2 + 0.25 · 6
        #expect(state.streak == 1 && state.lastDay == 1 && state.nextDay == 2)
        model.afterDay(&state, day: 2, meanLength: 3, using: &rng)
        #expect(state.streak == 2)
        model.afterDay(&state, day: 5, meanLength: 3, using: &rng)
        #expect(state.streak == 1, "a gap starts a new streak")
        #expect(state.isActive(on: 6) && !state.isActive(on: 7))
    }
}

@Suite struct DayCountsTests {
    static let world = TestWorlds.world(tracks: 300, users: 50)

    func run(counts: [Int32]?, exposure: Bool = false) throws -> SimulationResult {
        var plan = SimulationPlan(users: 50, sessionsPerUser: 2, seed: 5, threads: 2,
                                  arms: [SimulationArm(name: "random", recommender: RandomRecommender())])
        plan.counts = counts
        plan.measuresExposure = exposure
        return try HeadlessSimulator(world: Self.world, plan: plan).run()
    }

    @Test func givenCountsOfEveryoneAreTheDefaultRun() throws {
        #expect(try run(counts: Array(repeating: 2, count: 50)).sessions == run(counts: nil).sessions)
    }

    @Test func usersWithNoSessionsStayAwayAndTheOthersAreUnchanged() throws {
        let counts = (0..<50).map { Int32($0 % 3 == 0 ? 0 : 2) }
        let some = try run(counts: counts)
        let all = try run(counts: nil)
        #expect(some.sessions == all.sessions.filter { $0.user % 3 != 0 })
    }

    @Test func exposureCountsEveryRecommendedPlayAndChangesNothingElse() throws {
        let measured = try run(counts: nil, exposure: true)
        #expect(measured.sessions == (try run(counts: nil)).sessions)
        let e = measured.exposure[0]
        #expect(Int(e.recommended.reduce(0, +)) == measured.plays - measured.sessions.count, "every play but the first of each session")
        #expect(e.users == 50)
        #expect(zip(e.heard, e.recommended).allSatisfy { $0 <= $1 })
        #expect(e.genresHeard >= 0 && e.genresHeard <= 50 * Self.world.catalog.genreNames.count)
    }
}
