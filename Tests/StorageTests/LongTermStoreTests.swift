import Core
import Foundation
import Testing
@testable import Storage

/// A small two-arm, three-day run's report with every kind of figure the tables hold.
func sampleLongTermRun(experiment: String? = "LT", worldID: Int64? = nil, createdAt: Double = 1_700_000_000) -> LongTermRun {
    let arms = ["top-pop", "i2i"]
    var daily: [LongTermDay] = []
    for day in 1...3 {
        for (a, arm) in arms.enumerated() {
            let k = Double(day * 10 + a)
            daily.append(LongTermDay(day: day, arm: arm, activeUsers: 50 - day * 5 - a, sessions: 100 - day, meanLength: 3 + k / 100,
                                     meanLengthLow: 2.5 + k / 100, meanLengthHigh: 3.5 + k / 100, retention: 1 - Double(day - 1) * 0.2,
                                     listeningPerAssignedUser: k / 4, coverageRecommended: 0.004 + Double(a) * 0.5 / Double(day),
                                     coverageHeard: 0.003 + Double(a) * 0.1, topOnePercentShare: 1 - Double(a) * 0.7, gini: 0.996 - Double(a) * 0.4,
                                     novelty: 13.5 + Double(a), genresPerUser: 2 - Double(day) * 0.1))
        }
    }
    return LongTermRun(
        command: experiment == nil ? "simulate" : "ab", experiment: experiment, title: "experiment LT, long term", arms: arms,
        control: "top-pop", days: 3, users: 100, sessionsPerUser: 2, traffic: "per-user", seed: UInt64.max - 7, worldID: worldID,
        sessionIDs: 1...540,
        options: LongTermOptions(retrainEvery: 1, incremental: true, warmIterations: 3, returnRate: 0.7, returnSensitivity: 2,
                                 fatigue: 0.1, churn: 0.02, drift: 0.3),
        listeners: "returning (rate 0.7/day, sensitivity 2, fatigue 0.1, churn 0.02); interest drift 0.3",
        method: "long-term metric: total listening per assigned user", createdAt: createdAt, daily: daily,
        totals: [
            LongTermArmTotal(arm: "top-pop", assignedUsers: 51, listening: 34.52, listeningLow: 33.3, listeningHigh: 35.74,
                             retainedLastDay: 0.256, churned: 7),
            LongTermArmTotal(arm: "i2i", assignedUsers: 49, listening: 39.17, listeningLow: 38.15, listeningHigh: 40.2,
                             retainedLastDay: 0.226, churned: 9,
                             versusControl: LongTermUplift(difference: 4.66, differenceLow: 3.06, differenceHigh: 6.25, relative: 0.135,
                                                           relativeLow: 0.085, relativeHigh: 0.185, pValue: 0.00001,
                                                           adjustedPValue: 0.00002, significant: true)),
        ])
}

@Suite struct LongTermStoreTests {
    @Test func aStoredReportReadsBackAsWritten() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("lt.sqlite"))
        let run = sampleLongTermRun()
        let id = try db.longTermRuns.save(run)
        var expected = run
        expected.id = id
        #expect(try db.longTermRuns.load(id: id) == expected)
        // The list holds what ran, not the series.
        var header = expected
        header.daily = []
        header.totals = []
        #expect(try db.longTermRuns.all() == [header])
        #expect(try db.longTermRuns.load(id: id + 1) == nil)
    }

    @Test func figuresThatCouldNotBeComputedReadBackAsNaN() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("lt.sqlite"))
        var run = sampleLongTermRun(experiment: nil)
        run.options = LongTermOptions()
        run.sessionIDs = nil
        run.daily[0].meanLengthLow = .nan
        run.daily[0].coverageRecommended = .nan
        run.totals[0].listeningHigh = .nan
        let loaded = try #require(try db.longTermRuns.load(id: try db.longTermRuns.save(run)))
        #expect(loaded.daily[0].meanLengthLow.isNaN && loaded.daily[0].coverageRecommended.isNaN)
        #expect(loaded.daily[0].meanLength == run.daily[0].meanLength)
        #expect(loaded.totals[0].listeningHigh.isNaN && loaded.totals[0].listening == 34.52)
        #expect(loaded.options == LongTermOptions() && loaded.sessionIDs == nil && loaded.experiment == nil)
        #expect(loaded.command == "simulate")
    }

    @Test func newestRunsComeFirst() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("lt.sqlite"))
        try db.longTermRuns.save(sampleLongTermRun(experiment: "old", createdAt: 1_700_000_000))
        try db.longTermRuns.save(sampleLongTermRun(experiment: "new", createdAt: 1_700_000_100))
        #expect(try db.longTermRuns.all().map(\.experiment) == ["new", "old"])
    }

    /// The experiment's record and its report go in one transaction: a report the tables refuse
    /// leaves neither behind.
    @Test func theRecordAndTheReportAreStoredTogetherOrNotAtAll() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("lt.sqlite"))
        let record = ExperimentRecord(name: "LT", arms: ["top-pop", "i2i"], control: "top-pop", seed: 1, users: 100,
                                      sessionsPerUser: 2, createdAt: 1_700_000_000)
        var broken = sampleLongTermRun()
        broken.daily[3].arm = "no-such-arm"
        #expect(throws: InputError.self) { try db.longTermRuns.save(broken, experiment: record) }
        #expect(try db.experiments.load("LT") == nil)
        #expect(try db.longTermRuns.all().isEmpty)
        try db.longTermRuns.save(sampleLongTermRun(), experiment: record)
        #expect(try db.experiments.load("LT") == record)
        #expect(try db.longTermRuns.all().count == 1)
    }

    @Test func deletingAnExperimentDeletesItsReportsAndTheirRows() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("lt.sqlite")
        let db = try BotifyDatabase(path: path)
        try db.longTermRuns.save(sampleLongTermRun(experiment: "LT"))
        try db.longTermRuns.save(sampleLongTermRun(experiment: "other"))
        try db.experiments.delete("LT")
        #expect(try db.longTermRuns.all().map(\.experiment) == ["other"])
        let raw = try RawDatabase(path)
        #expect(try raw.int("SELECT count(*) FROM long_term_days") == 6)
        #expect(try raw.int("SELECT count(*) FROM long_term_arms") == 2)
    }
}
