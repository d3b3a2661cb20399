import Core
import Foundation
import Testing
@testable import Storage

@Suite struct ReaderTests {
    /// Six finished sessions over two users, plus one open session of user 1.
    private func populated(_ dir: TemporaryDirectory) throws -> BotifyDatabase {
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = BatchSessionWriter(database: db, worldID: nil)
        for i in 0..<6 {
            try writer.append(sampleLog(user: Int64(1 + i % 2), plays: 2 + i, strategy: i < 3 ? "random" : "i2i",
                                        source: i == 5 ? .human : .sim, experiment: i < 4 ? "ab1" : nil,
                                        arm: i < 4 ? (i % 2 == 0 ? "control" : "treatment") : nil,
                                        start: Double(i), firstTrack: Int32(100 * i)))
        }
        try writer.close()
        let interactive = InteractiveSessionWriter(database: db)
        _ = try interactive.begin(SessionMeta(user: 1, strategy: "random", source: .human, startedAt: 10))
        try interactive.append(Play(position: 0, track: 999, fraction: 1, outcome: .listened, recommendedBy: nil))
        return db
    }

    @Test func summariesFilterByExperimentStrategyAndSource() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        #expect(try db.sessionSummaries().map(\.id) == [1, 2, 3, 4, 5, 6])
        #expect(try db.sessionSummaries(SessionFilter(experiment: "ab1")).count == 4)
        #expect(try db.sessionSummaries(SessionFilter(strategy: "i2i")).map(\.id) == [4, 5, 6])
        #expect(try db.sessionSummaries(SessionFilter(source: .human)).map(\.id) == [6])
        #expect(try db.sessionSummaries(SessionFilter(source: .human, includeOpen: true)).map(\.id) == [6, 7])
        let first = try #require(try db.sessionSummaries().first)
        #expect(first.strategy == "random" && first.source == .sim && first.arm == "control" && first.plays == 2)
    }

    @Test func historyPagesNewestFirst() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        let page1 = try db.sessions(limit: 3)
        #expect(page1.map(\.id) == [7, 6, 5])
        #expect(page1.first?.endedAt == nil)
        let page2 = try db.sessions(before: page1.last?.id, limit: 3)
        #expect(page2.map(\.id) == [4, 3, 2])
        #expect(try db.sessions(before: 2, limit: 3).map(\.id) == [1])
    }

    @Test func recentHistoryIsOldestFirstFromEndedPlayerSessions() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        // User 2 has sim sessions 2 (tracks 100…102) and 4 (300…304), then the player's
        // session 6 (500…506): only the player's own sessions are the listener's history.
        let history = try db.recentHistory(user: 2, limit: 9)
        #expect(history.map(\.track) == [500, 501, 502, 503, 504, 505, 506])
        #expect(history.map(\.fraction).prefix(2) == [1, 0.25])
        #expect(try db.recentHistory(user: 2, limit: 3).map(\.track) == [504, 505, 506])
        #expect(try db.recentHistory(user: 1, limit: 100).contains { $0.track == 999 } == false)
        #expect(try db.recentHistory(user: 42, limit: 10).isEmpty)
    }

    @Test func interactionSourceGivesEndedSessionsInOrder() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        let source: any InteractionSource = db
        let all = try source.sessions(matching: InteractionFilter())
        #expect(all.map(\.sessionID) == [1, 2, 3, 4, 5, 6])
        #expect(all[1] == ListeningSession(sessionID: 2, user: 2, tracks: [100, 101, 102], fractions: [1, 0.25, 1]))
        #expect(try source.sessions(matching: InteractionFilter(sources: [.human])).map(\.sessionID) == [6])
        #expect(try source.sessions(matching: InteractionFilter(sessionIDs: 2...3)).map(\.sessionID) == [2, 3])
        #expect(try source.sessions(matching: InteractionFilter(sources: [])).isEmpty)
    }
}

@Suite struct StoreTests {
    @Test func newestModelWinsAndStatusListsEachStrategy() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let old = ModelRecord(strategy: "als", catalogFingerprint: "fp", params: #"{"factors":32}"#, sessionRange: 1...10,
                              trainedAt: 100, trainingSeconds: 2, loss: 0.5, blob: Data([1, 2, 3]))
        var new = old
        new.trainedAt = 200
        new.blob = Data([4, 5])
        new.sessionRange = 1...20
        _ = try db.models.save(old)
        let newID = try db.models.save(new)
        _ = try db.models.save(ModelRecord(strategy: "i2i", catalogFingerprint: "fp", params: "{}", sessionRange: nil,
                                           trainedAt: 150, trainingSeconds: 1, blob: Data()))
        new.id = newID
        #expect(try db.models.newest(strategy: "als", catalogFingerprint: "fp") == new)
        #expect(try db.models.newest(strategy: "als", catalogFingerprint: "other") == nil)
        let status = try db.models.status()
        #expect(status.map(\.strategy) == ["als", "i2i"])
        #expect(status[0].newestID == newID && status[0].versions == 2 && status[0].bytes == 2 && status[0].sessionRange == 1...20)
        #expect(status[1].sessionRange == nil && status[1].loss == nil)
    }

    @Test func experimentsRoundTripWithTheirResult() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let world = try db.worlds.save(config: #"{"seed":1}"#, catalogFingerprint: "fp", at: 1)
        var experiment = ExperimentRecord(name: "ab1", arms: ["random", "i2i"], control: "random", seed: .max,
                                          users: 1000, sessionsPerUser: 3, worldID: world, createdAt: 5)
        try db.experiments.save(experiment)
        #expect(try db.experiments.load("ab1") == experiment)
        try db.experiments.setResult(#"{"uplift":0.1}"#, for: "ab1")
        experiment.result = #"{"uplift":0.1}"#
        #expect(try db.experiments.load("ab1") == experiment)
        #expect(try db.experiments.all() == [experiment])
        #expect(throws: InputError.self) { try db.experiments.setResult("{}", for: "nope") }
        #expect(try db.experiments.load("nope") == nil)
    }

    @Test func experimentsKeepTheirTraffic() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let course = ExperimentRecord(name: "c", arms: ["random", "sticky-artist"], control: "random", seed: 1,
                                      users: 10, sessionsPerUser: 2, createdAt: 5, traffic: "course")
        try db.experiments.save(course)
        #expect(try db.experiments.load("c")?.traffic == "course")
        try db.experiments.save(ExperimentRecord(name: "p", arms: ["random"], control: "random", seed: 1,
                                                 users: 10, sessionsPerUser: 2, createdAt: 6))
        #expect(try db.experiments.load("p")?.traffic == "per-user")
        var bogus = course
        bogus.name = "b"
        bogus.traffic = "weekly"
        #expect(throws: (any Error).self) { try db.experiments.save(bogus) }
    }

    @Test func sameWorldConfigIsSavedOnce() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let a = try db.worlds.save(config: #"{"seed":1}"#, catalogFingerprint: "fp", at: 1)
        let b = try db.worlds.save(config: #"{"seed":1}"#, catalogFingerprint: "fp", at: 2)
        let c = try db.worlds.save(config: #"{"seed":2}"#, catalogFingerprint: "fp", at: 3)
        #expect(a == b && a != c)
        #expect(try db.worlds.find(id: c)?.config == #"{"seed":2}"#)
        #expect(try db.worlds.all(catalogFingerprint: "fp").map(\.id) == [a, c])
        #expect(try db.worlds.find(id: 99) == nil)
    }
}
