/// One field of a CSV record, as a byte range into the reader's buffer. A quoted field's range
/// excludes the surrounding quotes; `hasEscapedQuotes` says it still contains doubled `""`.
public struct CSVField: Sendable {
    public var start: Int
    public var end: Int
    public var hasEscapedQuotes: Bool

    public var count: Int { end - start }
    public var isEmpty: Bool { end == start }
}

/// A byte-level RFC 4180 reader: quoted fields with embedded commas, quotes and newlines,
/// LF or CRLF line ends. It hands out byte ranges instead of strings so that numeric columns
/// are parsed straight from the buffer; general CSV libraries allocate per field and are an
/// order of magnitude too slow for the catalog load target.
public struct CSVReader {
    public let bytes: UnsafeBufferPointer<UInt8>
    public let file: String
    public private(set) var position = 0
    /// Physical line (1-based) where the last record returned by `nextRecord` starts.
    public private(set) var recordLine = 0
    private var line = 1

    public init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        // A UTF-8 byte-order mark is not part of the first column's name.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    }

    public var isAtEnd: Bool { position >= bytes.count }

    /// Reads the next record into `fields` (cleared first). Returns false at end of input.
    /// Blank lines are skipped: a trailing newline or an empty last line is not a record.
    public mutating func nextRecord(into fields: inout [CSVField]) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        let n = bytes.count
        while position < n && (bytes[position] == 0x0A || bytes[position] == 0x0D) {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
        guard position < n else { return false }
        recordLine = line
        var p = position
        while true {
            if p < n && bytes[p] == 0x22 {
                // Quoted field: runs to the next quote that is not doubled.
                let start = p + 1
                var q = start
                var escaped = false
                while true {
                    guard q < n else {
                        throw InputError(file: file, line: recordLine, "unterminated quoted field (a '\"' opened here is never closed)")
                    }
                    let b = bytes[q]
                    if b == 0x22 {
                        if q + 1 < n && bytes[q + 1] == 0x22 { escaped = true; q += 2; continue }
                        break
                    }
                    if b == 0x0A { line += 1 }
                    q += 1
                }
                fields.append(CSVField(start: start, end: q, hasEscapedQuotes: escaped))
                p = q + 1
                if p < n && bytes[p] != 0x2C && bytes[p] != 0x0A && bytes[p] != 0x0D {
                    throw InputError(file: file, line: line, "unexpected character after a closing quote (a quote inside a quoted field must be doubled)")
                }
            } else {
                let start = p
                while p < n {
                    let b = bytes[p]
                    if b == 0x2C || b == 0x0A || b == 0x0D { break }
                    p += 1
                }
                fields.append(CSVField(start: start, end: p, hasEscapedQuotes: false))
            }
            if p >= n { position = p; return true }
            let b = bytes[p]
            if b == 0x2C { p += 1; continue }
            // End of record: LF, CRLF or a lone CR.
            if b == 0x0D && p + 1 < n && bytes[p + 1] == 0x0A { p += 1 }
            if bytes[p] == 0x0A { line += 1 }
            position = p + 1
            return true
        }
    }

    /// The field as a string. Throws when its bytes are not valid UTF-8, so a bad file is
    /// refused with its line and column instead of being silently repaired.
    public func string(_ field: CSVField, column: String) throws -> String {
        if field.isEmpty { return "" }
        let raw = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        var ascii = true
        for b in raw where b >= 0x80 { ascii = false; break }
        let text: String
        if ascii {
            text = String(decoding: raw, as: UTF8.self)
        } else {
            guard let valid = String(validating: raw, as: UTF8.self) else {
                throw InputError(file: file, line: recordLine, field: column,
                                 value: String(decoding: raw, as: UTF8.self), "invalid UTF-8")
            }
            text = valid
        }
        guard field.hasEscapedQuotes else { return text }
        return text.replacingDoubledQuotes()
    }

    /// The field's bytes as they are in the file (doubled quotes not undone).
    @inline(__always)
    public func raw(_ field: CSVField) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[field.start..<field.end])
    }

    /// A pointer to the field's first byte, for the numeric parsers.
    @inline(__always)
    public func pointer(_ field: CSVField) -> UnsafePointer<UInt8> {
        bytes.baseAddress! + field.start
    }
}

extension String {
    fileprivate func replacingDoubledQuotes() -> String {
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var previousWasQuote = false
        for b in utf8 {
            if b == 0x22 && previousWasQuote { previousWasQuote = false; continue }
            previousWasQuote = b == 0x22
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
