import Core
import Foundation
import Testing
@testable import Storage

/// The player's acknowledgement is `append` returning: by then the play is committed, so another
/// connection — another process sharing the file — already sees it and the session's totals.
@Suite struct InteractiveDurabilityTests {
    @Test func eachAcknowledgedPlayIsVisibleToAnotherConnectionAtOnce() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let writer = InteractiveSessionWriter(database: try BotifyDatabase(path: path))
        let other = try BotifyDatabase(path: path)
        let id = try writer.begin(SessionMeta(user: 3, strategy: "random", source: .human, startedAt: 10))
        #expect(try other.session(id: id)?.plays == 0)
        let log = sampleLog(user: 3, plays: 6)
        for (n, play) in log.plays.enumerated() {
            try writer.append(play, at: 11 + Double(n))
            #expect(try other.plays(session: id) == Array(log.plays[...n]))
            let summary = try #require(try other.session(id: id))
            #expect(summary.plays == n + 1 && summary.endedAt == nil)
        }
        #expect(try other.sessionSummaries().isEmpty, "an open session is not reported as finished")
        try writer.finish(endedAt: 20)
        #expect(try other.sessionSummaries().map(\.id) == [id])
        #expect(try other.integrityCheck() == "ok")
    }
}
