import Core
import Foundation
import GRDB
import Testing
@testable import Storage

/// A database file written by a released botify. Each fixture in Fixtures/ was written by
/// that commit's own Storage code (make-fixtures.sh) and never changes: it stands for the
/// files users have. All hold the same content (see make-fixtures.sh): a world, 6 simulated
/// sessions of experiment "fixture-ab" (ids 1–6, users 1–3), its record, an i2i model, a
/// human session (id 7) and a bot session (id 8) of user 100 — 8 sessions, 39 plays.
struct Fixture: CustomTestStringConvertible, Sendable {
    let name: String
    /// Migrations the file records, as its commit wrote them.
    let migrations: [String]
    /// Written by a commit whose `Play` had `liked`: session 7's third play is liked.
    let hasLikes: Bool

    var testDescription: String { name }

    static let all: [Fixture] = [
        Fixture(name: "v1-9cbd006", migrations: ["v1-sessions-plays-models"], hasLikes: false),
        Fixture(name: "v1-c3ea1cc", migrations: ["v1-sessions-plays-models"], hasLikes: false),
        Fixture(name: "v2-e599547", migrations: ["v1-sessions-plays-models", "v2-compact-play-log"], hasLikes: false),
        // v2 as edited in place by ef3bbd9 (it already has play_log.liked), up to 8b5c28a.
        Fixture(name: "v2-ef3bbd9", migrations: ["v1-sessions-plays-models", "v2-compact-play-log"], hasLikes: true),
        // v1–v4 as released at 33e0141, the last schema before v5 (recommendation lists) and v6 (remote source).
        Fixture(name: "v4-33e0141", migrations: ["v1-sessions-plays-models", "v2-compact-play-log", "v3-play-liked",
                                                 "v4-experiment-traffic"], hasLikes: true),
    ]

    /// Frozen files are SQLite databases under their own extension, so `*.sqlite` (scratch
    /// databases) stays ignored with no exception and these are never mistaken for one.
    static let fileExtension = "frozen-db"

    /// A private copy of the fixture in `dir` (the bundled file is never opened for writing).
    func copy(into dir: TemporaryDirectory) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: Self.fileExtension, subdirectory: "Fixtures") else {
            throw InputError(file: name + "." + Self.fileExtension, "fixture missing from the test bundle")
        }
        let path = dir.file(name + ".sqlite")
        try FileManager.default.copyItem(atPath: url.path, toPath: path)
        return path
    }
}

@Suite struct MigrationTests {
    static let fingerprint = "fixture-catalog"
    static let t0 = 1_700_000_000.0

    @Test(arguments: Fixture.all) func fixtureIsStillTheReleasedFile(_ fixture: Fixture) throws {
        let dir = TemporaryDirectory()
        let raw = try RawDatabase(try fixture.copy(into: dir))
        #expect(try raw.int("PRAGMA application_id") == Int(Schema.applicationID))
        #expect(try raw.int("PRAGMA user_version") == fixture.migrations.count)
        #expect(try raw.queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == fixture.migrations)
        #expect(try raw.int("SELECT count(*) FROM sessions") == 8)
    }

    /// Opening migrates; then every reader, view, export and writer works on the old data.
    @Test(arguments: Fixture.all) func fixtureMigratesAndReadsAsWritten(_ fixture: Fixture) throws {
        let dir = TemporaryDirectory()
        let path = try fixture.copy(into: dir)
        let db = try BotifyDatabase(path: path)
        let raw = try RawDatabase(path)
        #expect(try raw.int("PRAGMA user_version") == Schema.version)
        #expect(try raw.queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
            == Schema.migrations.map(\.identifier))
        #expect(try raw.queue.read { try $0.columns(in: "play_log").map(\.name) }.contains("liked"))

        // Sessions.
        let all = try db.sessionSummaries()
        #expect(all.map(\.id) == Array(1...8))
        #expect(all.map(\.plays).reduce(0, +) == 39)
        #expect(all.map(\.skips).reduce(0, +) == 23)
        #expect(all.map(\.length) == [2.75, 3, 3, 3.5, 3.5, 4.5, 2.75, 1.25])
        let first = try #require(try db.session(id: 1))
        #expect(first.user == 1 && first.strategy == "top-pop" && first.source == .sim)
        #expect(first.experiment == "fixture-ab" && first.arm == "top-pop" && first.worldID == 1)
        #expect(first.plays == 4 && first.skips == 2 && first.length == 2.75)
        #expect(first.startedAt == Self.t0 + 100 && first.endedAt == Self.t0 + 104 && !first.recovered)
        let human = try #require(try db.session(id: 7))
        #expect(human.user == 100 && human.strategy == "i2i" && human.source == .human && human.experiment == nil)
        #expect(human.length == 2.75 && human.plays == 4 && human.skips == 2 && human.endedAt == Self.t0 + 1010)
        #expect(try db.sessionSummaries(SessionFilter(experiment: "fixture-ab")).count == 6)
        #expect(try db.sessionSummaries(SessionFilter(strategy: "random")).map(\.id) == [2, 3, 6])
        #expect(try db.sessionSummaries(SessionFilter(source: .bot)).map(\.id) == [8])
        #expect(try db.sessionSummaries(SessionFilter(worldID: 1)).count == 6)
        #expect(try db.sessions(limit: 3).map(\.id) == [8, 7, 6])
        #expect(try db.sessions(before: 6, limit: 50).map(\.id) == [5, 4, 3, 2, 1])

        // Plays, through the view and the readers.
        let plays = try db.plays(session: 7)
        #expect(plays.map(\.track) == [5, 6, 7, 8])
        #expect(plays.map(\.fraction) == [1, 0.25, 1, 0.5])
        #expect(plays.map(\.outcome) == [.listened, .skipped, .listened, .abandoned])
        #expect(plays.map(\.recommendedBy) == [nil, "i2i", "i2i", "i2i"])
        #expect(plays.map(\.latencyMicros) == [0, 12.5, 3.5, 2])
        #expect(plays.map(\.liked) == [false, false, fixture.hasLikes, false])
        #expect(try db.plays(session: 1).map(\.fraction) == [1, 0.25, 0.5, 1])
        #expect(try db.plays(session: 1).map(\.latencyMicros) == [0, 1.5, 3, 4.5])
        #expect(try db.plays(session: 6).count == 7)
        let viewRows = try raw.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM plays WHERE session_id = 8 ORDER BY position").map { row in
                Array(row.databaseValues.map(\.description))
            }
        }
        #expect(viewRows == [
            ["8", "0", "9", "1.0", "\"listened\"", "NULL", "0.0", "0", "NULL"],
            ["8", "1", "10", "0.25", "\"skipped\"", "\"als\"", "4.0", "0", "NULL"],
        ])
        #expect(try raw.int("SELECT count(*) FROM plays") == 39)
        #expect(try raw.int("SELECT count(*) FROM plays WHERE reason IS NULL") == 39)  // v8: no play had a stored reason
        #expect(try raw.int("SELECT sum(liked) FROM plays") == (fixture.hasLikes ? 1 : 0))
        #expect(try db.recentHistory(user: 100, limit: 10).map(\.track) == [5, 6, 7, 8, 9, 10])
        #expect(try db.recentHistory(user: 100, limit: 3).map(\.fraction) == [0.5, 1, 0.25])
        #expect(try db.recentHistory(user: 1, limit: 10).isEmpty)  // sim sessions are not history

        // What trainers read.
        let sessions = try db.sessions(matching: InteractionFilter())
        #expect(sessions.map(\.sessionID) == Array(1...8))
        #expect(sessions[0].tracks == [10, 11, 12, 13] && sessions[0].user == 1)
        #expect(try db.sessions(matching: InteractionFilter(sources: [.human, .bot])).map(\.sessionID) == [7, 8])
        #expect(try db.sessions(matching: InteractionFilter(sessionIDs: 2...3)).map(\.tracks.count) == [5, 5])

        // Stores.
        let experiment = try #require(try db.experiments.load("fixture-ab"))
        #expect(experiment == ExperimentRecord(name: "fixture-ab", arms: ["random", "top-pop"], control: "random", seed: 7,
                                               users: 3, sessionsPerUser: 2, worldID: 1, createdAt: Self.t0,
                                               result: #"{"winner":"top-pop"}"#))
        #expect(try db.experiments.all().map(\.name) == ["fixture-ab"])
        // v10: no long-term reports before it; one stores and reads back on the migrated file,
        // tied to the fixture's world.
        #expect(try db.longTermRuns.all().isEmpty)
        let longTerm = sampleLongTermRun(experiment: "fixture-ab", worldID: 1)
        let longTermID = try db.longTermRuns.save(longTerm)
        #expect(try db.longTermRuns.load(id: longTermID)?.totals == longTerm.totals)
        #expect(try db.longTermRuns.load(id: longTermID)?.daily == longTerm.daily)
        #expect(experiment.traffic == "per-user", "an experiment recorded before v4 ran with per-user traffic")
        let model = try #require(try db.models.newest(strategy: "i2i", catalogFingerprint: Self.fingerprint))
        #expect(model.id == 1 && model.params == #"{"k":10}"# && model.sessionRange == 1...6)
        #expect(model.trainedAt == Self.t0 + 500 && model.trainingSeconds == 0.25 && model.loss == 0.125)
        #expect(model.blob == Data((0..<16).map { UInt8($0) }))
        #expect(try db.models.status().map(\.bytes) == [16])
        let world = try #require(try db.worlds.find(id: 1))
        #expect(world.config == #"{"tracks":40,"seed":7}"# && world.catalogFingerprint == Self.fingerprint)
        #expect(try db.worlds.all(catalogFingerprint: Self.fingerprint).map(\.id) == [1])

        // Exports.
        let playsCSV = try parseCSV(try exported(db, .plays, .csv, dir))
        #expect(playsCSV.count == 1 + 39)
        #expect(playsCSV[0] == ["session_id", "user_id", "position", "track", "fraction", "action", "recommended_by", "latency_us", "liked",
                                "reason"])
        #expect(playsCSV[1] == ["1", "1", "0", "10", "1.0", "listened", "", "0.0", "0", ""])
        #expect(playsCSV.first { $0[0] == "7" && $0[2] == "2" }
            == ["7", "100", "2", "7", "1.0", "listened", "i2i", "3.5", fixture.hasLikes ? "1" : "0", ""])
        let sessionLines = try exported(db, .sessions, .jsonl, dir).split(separator: "\n")
        #expect(sessionLines.count == 8)
        let firstSession = try JSONSerialization.jsonObject(with: Data(sessionLines[0].utf8)) as? [String: Any]
        #expect(firstSession?["length"] as? Double == 2.75)
        #expect(firstSession?["catalog_fingerprint"] as? String == Self.fingerprint)
        #expect(firstSession?["end_reason"] as? String == "finished")

        // Writers append after the old rows, likes included.
        let player = InteractiveSessionWriter(database: db)
        #expect(try player.recoverOpenSessions().isEmpty)
        let id = try player.begin(SessionMeta(user: 100, strategy: "als", source: .human, startedAt: Self.t0 + 3000))
        #expect(id == 9)
        try player.append(Play(position: 0, track: 11, fraction: 1, outcome: .listened, recommendedBy: nil, liked: true),
                          at: Self.t0 + 3001)
        try player.append(Play(position: 1, track: 12, fraction: 0.5, outcome: .skipped, recommendedBy: "als"),
                          at: Self.t0 + 3002)
        let summary = try player.finish(endedAt: Self.t0 + 3003)
        #expect(summary.plays == 2 && summary.skips == 1 && summary.length == 1.5)
        #expect(try db.plays(session: 9).map(\.liked) == [true, false])
        #expect(try db.recentHistory(user: 100, limit: 2).map(\.track) == [11, 12])
        let batch = BatchSessionWriter(database: db, worldID: 1, catalogFingerprint: Self.fingerprint)
        try batch.append(sampleLog(user: 2, plays: 3, strategy: "random", experiment: "fixture-ab", arm: "random"))
        try batch.close()
        #expect(try db.plays(session: 10).map(\.track) == [0, 1, 2])
        let after = try parseCSV(try exported(db, .plays, .csv, dir))
        #expect(after.count == 1 + 39 + 2 + 3)
        let likedColumn = try #require(after[0].firstIndex(of: "liked"))
        #expect(after.dropFirst().filter { $0[likedColumn] == "1" }.count == (fixture.hasLikes ? 2 : 1))
        #expect(after.dropFirst().allSatisfy { $0.last == "" }, "no play here was stored with a reason")

        #expect(try db.integrityCheck() == "ok")
        #expect(try raw.queue.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty)
        // Opening again migrates nothing.
        _ = try BotifyDatabase(path: path)
        #expect(try raw.int("SELECT count(*) FROM grdb_migrations") == Schema.migrations.count)
    }

    /// v6 rebuilds `sessions` to allow source 'remote' (`botify serve`): every row, id and index
    /// of a v4 file survives, no play is cascaded away, and a remote session then stores and reads.
    @Test func v4FileMigratesToRemoteSessions() throws {
        let dir = TemporaryDirectory()
        let fixture = try #require(Fixture.all.first { $0.name == "v4-33e0141" })
        let path = try fixture.copy(into: dir)
        let before = try RawDatabase(path)
        let sessionsSQL = "SELECT * FROM sessions ORDER BY id"
        func rows(_ raw: RawDatabase, _ sql: String) throws -> [[String]] {
            try raw.queue.read { db in try Row.fetchAll(db, sql: sql).map { $0.databaseValues.map(\.description) } }
        }
        let oldSessions = try rows(before, sessionsSQL)
        // v4's columns (v8 adds `reason` after them).
        let playsSQL = "SELECT session_id, position, track, fraction, action, recommender_id, latency_ns, liked FROM play_log ORDER BY session_id, position"
        let oldPlays = try rows(before, playsSQL)
        #expect(oldSessions.count == 8 && oldPlays.count == 39)
        #expect(throws: (any Error).self) {
            try before.queue.write { try $0.execute(sql: "UPDATE sessions SET source = 'remote' WHERE id = 1") }
        }

        let db = try BotifyDatabase(path: path)
        let raw = try RawDatabase(path)
        #expect(try rows(raw, sessionsSQL) == oldSessions)
        #expect(try rows(raw, playsSQL) == oldPlays)
        #expect(try rows(raw, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions' ORDER BY name")
            == [["\"sessions_by_experiment\""], ["\"sessions_by_listener\""], ["\"sessions_open\""]])
        #expect(try raw.queue.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty)
        #expect(try rows(raw, "SELECT \"table\" FROM pragma_foreign_key_list('play_log') ORDER BY 1") == [["\"recommenders\""], ["\"sessions\""]])

        let writer = BatchSessionWriter(database: db, catalogFingerprint: Self.fingerprint)
        try writer.append(sampleLog(user: 7, plays: 3, strategy: "i2i", source: .remote))
        try writer.close()
        let remote = try db.sessionSummaries(SessionFilter(source: .remote))
        #expect(remote.map(\.id) == [9] && remote[0].user == 7 && remote[0].plays == 3)
        #expect(try db.sessions(matching: InteractionFilter(sources: [.remote])).map(\.sessionID) == [9])
        // Deleting a session still cascades to its plays through the rebuilt table.
        try raw.queue.write { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "DELETE FROM sessions WHERE id = 9")
        }
        #expect(try raw.int("SELECT count(*) FROM play_log WHERE session_id = 9") == 0)
        #expect(try db.integrityCheck() == "ok")
    }

    /// Files of every lineage — with or without `liked` in v2 — end in the schema of a fresh file.
    @Test(arguments: Fixture.all) func fixtureEndsInTheFreshSchema(_ fixture: Fixture) throws {
        let dir = TemporaryDirectory()
        let fresh = dir.file("fresh.sqlite")
        _ = try BotifyDatabase(path: fresh)
        let path = try fixture.copy(into: dir)
        _ = try BotifyDatabase(path: path)
        let expected = try schemaShape(fresh)
        let actual = try schemaShape(path)
        #expect(actual.count == expected.count)
        for (line, wanted) in zip(actual, expected) {
            #expect(line == wanted, "\(fixture.name)")
        }
        #expect(expected.contains("table play_log column liked INTEGER notnull=1 default=0 pk=0"))
    }

    /// Each released migration's text, pinned. GRDB runs a migration once per file, so an edit
    /// to a shipped one never reaches the files that already have it (issue #14: v2 gained
    /// `liked` after it shipped, and every file from e599547 then failed with "no such column").
    static let released: [(identifier: String, sha256: String)] = [
        // v1 as shipped by c3ea1cc. 9cbd006 shipped it with CHECK ... IN (...) instead of OR, the
        // same constraints (its files are in Fixtures/ and read the same).
        ("v1-sessions-plays-models", "5092d62fe81cfc718ae5a2ac12685689e501fd589f492d3fcf056c3dcf4f5604"),
        // v2 as shipped by e599547 (ef3bbd9 edited it in place, which is issue #14; restored).
        ("v2-compact-play-log", "7dfa13e016b85226f59d58291296214d1526a6d4d4ea6845cc2b63e9602b17f3"),
        ("v3-play-liked", "ae10a93dd4667f74c0647013f7395e01ec32f41ea02b0e147e50f6ce2f148fd0"),
        ("v4-experiment-traffic", "a319597d2918cf8c240291e2963ad7c808a651b292c2adf98a0a3c9070a12ea8"),
        ("v5-recommendation-lists", "bd18a797be19a58456c47e6722940d458f35d1441fec88d5ce65a207b9c26996"),
        ("v6-remote-source", "c6c73c885a62fd0f5976238ea5f2b5fa28956f504d6fde455a9f3da896dff70c"),
        ("v7-world-cache", "5a13aca7240713652f36f0ae63e74b540e5a20f7992f590983d9779005359aef"),
        ("v8-play-reason", "e651f30f50c042d1231495c0ceb4a7bc41306ee0216e9160caecd1931017cee9"),
        ("v9-ranker-features", "81310a47a718ed5748d7a883ac544654780a81ac01be62c142f8b93b05e29245"),
        ("v10-long-term-reports", "65201b58add77e692ef3fa65c69980cc10cdab08206b8af511190e1b94a14807"),
    ]

    @Test func releasedMigrationsNeverChange() {
        let current = Schema.migrations
        #expect(Set(current.map(\.identifier)).count == current.count, "migration identifiers must be unique")
        #expect(current.count >= Self.released.count,
                "a released migration was removed: released migrations stay forever (add a new migration instead)")
        for (index, pinned) in Self.released.enumerated() where index < current.count {
            let migration = current[index]
            #expect(migration.identifier == pinned.identifier,
                    "migration \(index + 1) is '\(migration.identifier)', released as '\(pinned.identifier)': released migrations never change — add a new migration instead")
            let hash = sha256Hex(migration.pinnedText)
            #expect(hash == pinned.sha256,
                    "released migration '\(pinned.identifier)' was edited (SHA-256 now \(hash)): files that already ran it never run it again — revert it and add a new migration instead")
        }
        for migration in current.dropFirst(Self.released.count) {
            Issue.record("migration '\(migration.identifier)' is not pinned: add (\"\(migration.identifier)\", \"\(sha256Hex(migration.pinnedText))\") to MigrationTests.released, and a fixture of its schema (make-fixtures.sh) once it ships")
        }
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(String(repeating: "a", count: 1000))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    /// A file migrated by a newer botify (a migration this build does not know) is refused
    /// with one clear line, and left byte for byte as it was.
    @Test(arguments: [Fixture.all[0], Fixture.all[3]]) func fileFromANewerBotifyIsRefusedUntouched(_ fixture: Fixture) throws {
        let dir = TemporaryDirectory()
        let path = try fixture.copy(into: dir)
        do { _ = try BotifyDatabase(path: path) }
        let raw = try RawDatabase(path)
        try raw.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v4-from-a-newer-botify')")
        try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try fileBytes(path)
        let error = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        let message = error?.description ?? ""
        #expect(!message.contains("\n"))
        #expect(message.contains("newer botify") && message.contains("v4-from-a-newer-botify"), "\(message)")
        #expect(try fileBytes(path) == before)
        #expect(try raw.int("SELECT count(*) FROM grdb_migrations") == Schema.migrations.count + 1)

        // The same with the newer build's user_version.
        try raw.execute("PRAGMA user_version = \(Schema.version + 1)")
        try raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let bumped = try fileBytes(path)
        let versionError = #expect(throws: InputError.self) { try BotifyDatabase(path: path) }
        #expect(versionError?.description.contains("written by a newer botify") == true)
        #expect(versionError?.description.contains("\n") == false)
        #expect(try fileBytes(path) == bumped)
    }

    private func exported(_ db: BotifyDatabase, _ table: ExportTable, _ format: ExportFormat,
                          _ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("export-\(table.rawValue).\(format.rawValue)")
        let sink = try ByteSink.atomicFile(path)
        try db.export(table, format: format, to: sink)
        try sink.commit()
        return String(decoding: try fileBytes(path), as: UTF8.self)
    }

    /// The schema as behaviour sees it, one line per fact: every table's columns (type,
    /// NOT NULL, default, key), foreign keys and rowid-ness, every index's columns, partiality
    /// and uniqueness, every view's SQL and columns. Not CHECK texts: 9cbd006 files spell
    /// v1's CHECKs with IN, later ones with OR (the same constraints).
    private func schemaShape(_ path: String) throws -> [String] {
        try RawDatabase(path).queue.read { db in
            var lines: [String] = []
            let objects = try Row.fetchAll(db, sql: """
                SELECT type, name, tbl_name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
                """)
            for object in objects {
                let type: String = object["type"], name: String = object["name"]
                let table: String = object["tbl_name"], sql: String? = object["sql"]
                lines.append("\(type) \(name) on \(table)")
                switch type {
                case "table":
                    for c in try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(name.quotedDatabaseIdentifier))") {
                        let dflt = (c["dflt_value"] as String?) ?? "none"
                        lines.append("table \(name) column \(c["name"] as String) \(c["type"] as String) notnull=\(c["notnull"] as Int) default=\(dflt) pk=\(c["pk"] as Int)")
                    }
                    for k in try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(name.quotedDatabaseIdentifier))") {
                        lines.append("table \(name) fk \(k["from"] as String) -> \(k["table"] as String)(\((k["to"] as String?) ?? "")) on delete \(k["on_delete"] as String)")
                    }
                    lines.append("table \(name) without rowid=\(sql?.hasSuffix("WITHOUT ROWID") ?? false)")
                case "index":
                    let info = try Row.fetchOne(db, sql: "SELECT \"unique\", partial FROM pragma_index_list(?) WHERE name = ?",
                                                arguments: [table, name])
                    lines.append("index \(name) unique=\(info?[0] as Int? ?? -1) partial=\(info?[1] as Int? ?? -1) sql=\(sql ?? "auto")")
                    for c in try Row.fetchAll(db, sql: "PRAGMA index_xinfo(\(name.quotedDatabaseIdentifier))") where (c["key"] as Int) == 1 {
                        lines.append("index \(name) column \((c["name"] as String?) ?? "expr") desc=\(c["desc"] as Int)")
                    }
                default:
                    lines.append("\(type) \(name) sql=\(sql ?? "")")
                    if type == "view" {
                        let columns = try db.columns(in: name).map(\.name)
                        lines.append("view \(name) columns \(columns.joined(separator: ","))")
                    }
                }
            }
            return lines
        }
    }
}

/// SHA-256 (FIPS 180-4) of `text`'s UTF-8 bytes, as lowercase hex. Here because Foundation on
/// Linux has no CryptoKit and the package takes no crypto dependency for one test.
func sha256Hex(_ text: String) -> String {
    let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    var message = Array(text.utf8)
    let bitLength = UInt64(message.count) * 8
    message.append(0x80)
    while message.count % 64 != 56 { message.append(0) }
    for shift in stride(from: 56, through: 0, by: -8) { message.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: message.count, by: 64) {
        for i in 0..<16 {
            w[i] = (0..<4).reduce(UInt32(0)) { ($0 << 8) | UInt32(message[chunk + i * 4 + $1]) }
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.map { word in
        let hex = String(word, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }.joined()
}
