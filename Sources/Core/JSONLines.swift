/// The line discipline of botify's JSON-lines readers (the course's tracks file, its
/// recommendation files): lines end at LF, one CR before it is dropped, lines holding only
/// spaces and tabs are skipped, and line numbers count every line, skipped ones included, so
/// an error names the line an editor shows.
public enum JSONLines {
    /// Calls `body(text, lineNumber)` for each line of `bytes` that is not blank, in order
    /// (numbers start at 1); text excludes the LF and a CR before it. A final line without LF counts.
    public static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>,
                                   _ body: (_ text: UnsafeBufferPointer<UInt8>, _ line: Int) throws -> Void) rethrows {
        var line = 0
        var start = 0
        let n = bytes.count
        while start < n {
            line += 1
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var stop = end
            if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<stop])
            start = end + 1
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            try body(text, line)
        }
    }
}
