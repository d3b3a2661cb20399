import Core
import Foundation
import Testing
@testable import Storage

/// `world_cache` (migration v5): a row is returned only whole and matching its checksum.
@Suite struct WorldCacheStoreTests {
    @Test func storedBytesComeBackAndAReplacementWins() throws {
        let dir = TemporaryDirectory()
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        #expect(try db.worldCache.lookup(identity: "generated v1 a") == .miss)
        let payload = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try db.worldCache.store(identity: "generated v1 a", payload: payload, at: 1)
        #expect(try db.worldCache.lookup(identity: "generated v1 a") == .hit(payload))
        #expect(try db.worldCache.lookup(identity: "generated v1 b") == .miss)
        try db.worldCache.store(identity: "generated v1 a", payload: [1, 2, 3], at: 2)
        #expect(try db.worldCache.lookup(identity: "generated v1 a") == .hit([1, 2, 3]))
        #expect(try db.worldCache.identities() == ["generated v1 a"])
    }

    @Test func aDamagedRowIsReportedNotReturned() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("db.sqlite")
        let db = try BotifyDatabase(path: path)
        try db.worldCache.store(identity: "x", payload: Array(repeating: 7, count: 4096), at: 1)
        try db.worldCache.store(identity: "y", payload: Array(repeating: 9, count: 4096), at: 1)
        let raw = try RawDatabase(path)
        // One byte changed in place (same length): the checksum no longer matches.
        try raw.execute("UPDATE world_cache SET payload = CAST(X'08' || substr(payload, 2) AS BLOB) WHERE identity = 'x'")
        // Cut short: the recorded length no longer matches.
        try raw.execute("UPDATE world_cache SET payload = substr(payload, 1, 100) WHERE identity = 'y'")
        guard case .damaged(let why) = try db.worldCache.lookup(identity: "x") else { Issue.record("x was used"); return }
        #expect(why.contains("checksum"))
        guard case .damaged(let short) = try db.worldCache.lookup(identity: "y") else { Issue.record("y was used"); return }
        #expect(short.contains("100 bytes stored, 4096 recorded"))
        try db.worldCache.store(identity: "x", payload: [5], at: 2)
        #expect(try db.worldCache.lookup(identity: "x") == .hit([5]), "a rebuilt row replaces the damaged one")
    }
}
