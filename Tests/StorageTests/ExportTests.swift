import Core
import Foundation
import Testing
@testable import Storage

@Suite struct ExportTests {
    /// Awkward names on purpose: a comma, quotes, a line break, non-ASCII.
    static let awkward = "arm \"B\", späť\nline two"

    private func populated(_ dir: TemporaryDirectory) throws -> BotifyDatabase {
        let db = try BotifyDatabase(path: dir.file("db.sqlite"))
        let writer = BatchSessionWriter(database: db, catalogFingerprint: "fp")
        var log = sampleLog(user: 3, plays: 3, strategy: "i2i", experiment: "exp,1", arm: Self.awkward)
        log.plays[1].fraction = 0.37
        try writer.append(log)
        try writer.append(sampleLog(user: 4, plays: 2, strategy: "random"))
        try writer.close()
        return db
    }

    private func exported(_ db: BotifyDatabase, _ table: ExportTable, _ format: ExportFormat,
                          _ dir: TemporaryDirectory) throws -> String {
        let path = dir.file("out.\(format.rawValue)")
        let sink = try ByteSink.atomicFile(path)
        try db.export(table, format: format, to: sink)
        try sink.commit()
        return String(decoding: try fileBytes(path), as: UTF8.self)
    }

    @Test func playsCSVParsesBack() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        let text = try exported(db, .plays, .csv, dir)
        #expect(text.hasSuffix("\r\n"))
        let rows = try parseCSV(text)
        #expect(rows[0] == ["session_id", "user_id", "position", "track", "fraction", "action", "recommended_by", "latency_us", "liked", "reason"])
        #expect(rows.count == 1 + 5)
        #expect(rows[1] == ["1", "3", "0", "0", "1.0", "listened", "", "0.0", "0", ""])
        #expect(rows[2] == ["1", "3", "1", "1", "0.37", "skipped", "i2i", "1.0", "0", ""])
        #expect(rows[5][0] == "2" && rows[5][1] == "4")
    }

    @Test func sessionsCSVQuotesAwkwardText() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        let rows = try parseCSV(try exported(db, .sessions, .csv, dir))
        let header = rows[0]
        #expect(rows.count == 3)
        let first = Dictionary(uniqueKeysWithValues: zip(header, rows[1]))
        #expect(first["arm"] == Self.awkward)
        #expect(first["experiment"] == "exp,1")
        #expect(first["strategy"] == "i2i" && first["source"] == "sim" && first["plays"] == "3")
        #expect(first["length"] == "2.37" && first["catalog_fingerprint"] == "fp" && first["end_reason"] == "finished")
        #expect(first["world_id"] == "")
        #expect(rows.allSatisfy { $0.count == header.count })
    }

    @Test func jsonLinesParseBack() throws {
        let dir = TemporaryDirectory()
        let db = try populated(dir)
        let sessions = try exported(db, .sessions, .jsonl, dir).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(sessions.count == 2)
        #expect(sessions[0]["arm"] as? String == Self.awkward)
        #expect(sessions[0]["length"] as? Double == 2.37)
        #expect(sessions[1]["experiment"] is NSNull)
        #expect(sessions[0]["seed"] as? Int == 42)
        let plays = try exported(db, .plays, .jsonl, dir).split(separator: "\n")
        #expect(plays.count == 5)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(plays[1].utf8)) as? [String: Any])
        #expect(second["fraction"] as? Double == 0.37 && second["action"] as? String == "skipped")
    }

    @Test func unfinishedFileNeverReplacesTheOldOne() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("keep.csv")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            let sink = try ByteSink.atomicFile(path)
            try sink.write(Array(repeating: UInt8(ascii: "x"), count: 200_000))  // past the buffer: on disk
        }
        #expect(try fileBytes(path) == Data("old\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.csv"])
    }

    @Test func unwritableOutputIsBadInput() throws {
        let dir = TemporaryDirectory()
        #expect(throws: InputError.self) { try ByteSink.atomicFile(dir.file("missing/out.csv")) }
    }
}

/// A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
func parseCSV(_ text: String) throws -> [[String]] {
    struct Malformed: Error {}
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        switch c {
        case "\"" where field.isEmpty:
            while true {
                guard let q = chars.popFirst() else { throw Malformed() }
                if q == "\"" {
                    if chars.first == "\"" { chars.removeFirst(); field.append("\"") } else { break }
                } else {
                    field.append(q)
                }
            }
        case ",":
            row.append(field)
            field = ""
        case "\r\n":
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        default:
            if c == "\n" || c == "\r" || c == "\"" { throw Malformed() }
            field.append(c)
        }
    }
    if !row.isEmpty || !field.isEmpty { throw Malformed() }
    return rows
}
