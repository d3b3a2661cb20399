import Core
import GRDB

/// What `botify export` can write.
public enum ExportTable: String, CaseIterable, Sendable {
    case plays, sessions

    /// Columns in output order; plays carry their session's user for convenience.
    var sql: String {
        switch self {
        case .plays:
            """
            SELECT p.session_id, s.user_id, p.position, p.track, p.fraction, p.action, p.recommended_by, p.latency_us, p.liked, p.reason
            FROM plays p JOIN sessions s ON s.id = p.session_id
            ORDER BY p.session_id, p.position
            """
        case .sessions:
            """
            SELECT id, user_id, strategy, source, experiment, arm, seed, world_id, interest_track, catalog_fingerprint,
                started_at, ended_at, end_reason, length, plays, skips
            FROM sessions ORDER BY id
            """
        }
    }
}

public enum ExportFormat: String, CaseIterable, Sendable {
    /// RFC 4180: header line, CRLF line ends, fields quoted when they hold `,` `"` CR or LF.
    /// NULL is an empty field.
    case csv
    /// One JSON object per line; NULL is `null`.
    case jsonl
}

extension BotifyDatabase {
    /// Streams `table` in `format` to `output` from one read transaction (a consistent
    /// snapshot, even while others write). Returns the number of rows written.
    @discardableResult
    public func export(_ table: ExportTable, format: ExportFormat, to output: ByteSink) throws -> Int {
        try read { db in
            let statement = try db.makeStatement(sql: table.sql)
            let names = statement.columnNames
            let rows = try Row.fetchCursor(statement)
            var encoder = RowEncoder(format: format, columns: names)
            if format == .csv { try output.write(encoder.header()) }
            var count = 0
            while let row = try rows.next() {
                try output.write(encoder.encode(row))
                count += 1
            }
            try output.flush()
            return count
        }
    }
}

/// Formats one row at a time into a reused buffer.
struct RowEncoder {
    let format: ExportFormat
    let columns: [String]
    private let jsonKeys: [[UInt8]]
    private var buffer: [UInt8] = []

    init(format: ExportFormat, columns: [String]) {
        self.format = format
        self.columns = columns
        jsonKeys = columns.map { Array("\"\($0)\":".utf8) }
        buffer.reserveCapacity(256)
    }

    mutating func header() -> [UInt8] {
        buffer.removeAll(keepingCapacity: true)
        for (i, name) in columns.enumerated() {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            appendCSV(name)
        }
        buffer.append(contentsOf: [13, 10])
        return buffer
    }

    mutating func encode(_ row: Row) -> [UInt8] {
        buffer.removeAll(keepingCapacity: true)
        switch format {
        case .csv:
            for i in 0..<columns.count {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                switch (row[i] as DatabaseValue).storage {
                case .int64(let n): buffer.append(contentsOf: String(n).utf8)
                case .double(let d): buffer.append(contentsOf: String(d).utf8)
                case .string(let s): appendCSV(s)
                case .blob, .null: break
                }
            }
            buffer.append(contentsOf: [13, 10])
        case .jsonl:
            buffer.append(UInt8(ascii: "{"))
            for i in 0..<columns.count {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                buffer.append(contentsOf: jsonKeys[i])
                switch (row[i] as DatabaseValue).storage {
                case .int64(let n): buffer.append(contentsOf: String(n).utf8)
                case .double(let d): buffer.append(contentsOf: (d.isFinite ? String(d) : "null").utf8)
                case .string(let s): appendJSON(s)
                case .blob, .null: buffer.append(contentsOf: "null".utf8)
                }
            }
            buffer.append(contentsOf: [UInt8(ascii: "}"), 10])
        }
        return buffer
    }

    private mutating func appendCSV(_ text: String) { CSVQuoting.append(text, to: &buffer) }

    private mutating func appendJSON(_ text: String) {
        buffer.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: [92, 34])
            case 92: buffer.append(contentsOf: [92, 92])
            case 10: buffer.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: buffer.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: buffer.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
    }
}
