import Terminal

/// The text of a prompt (`/` search, `:` command) and the cursor in it, edited readline-style:
/// Ctrl-A/Home and Ctrl-E/End jump, ←/→ (Ctrl-B/F) move, Backspace and Ctrl-D delete, Ctrl-U
/// and Ctrl-K cut to the start or the end, Ctrl-W cuts the word before the cursor. Other
/// control characters are never inserted.
public struct LineEdit: Equatable, Sendable {
    public private(set) var text: String
    /// Characters before the cursor.
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    var beforeCursor: String { String(text.prefix(cursor)) }

    /// Applies an editing key; false when `key` is not one (the prompt decides what it means).
    mutating func apply(_ key: Key) -> Bool {
        var chars = Array(text)
        switch key {
        case .left, .char("\u{02}"): cursor = max(0, cursor - 1)
        case .right, .char("\u{06}"): cursor = min(chars.count, cursor + 1)
        case .home, .char("\u{01}"): cursor = 0
        case .end, .char("\u{05}"): cursor = chars.count
        case .backspace, .delete, .char("\u{08}"), .char("\u{7F}"):
            guard cursor > 0 else { return true }
            chars.remove(at: cursor - 1)
            cursor -= 1
        case .char("\u{04}"):
            if cursor < chars.count { chars.remove(at: cursor) }
        case .char("\u{15}"):
            chars.removeFirst(cursor)
            cursor = 0
        case .char("\u{0B}"):
            chars.removeLast(chars.count - cursor)
        case .char("\u{17}"):
            var start = cursor
            while start > 0, chars[start - 1] == " " { start -= 1 }
            while start > 0, chars[start - 1] != " " { start -= 1 }
            chars.removeSubrange(start..<cursor)
            cursor = start
        case .char(let c):
            // Control characters (and any other unbound Ctrl key) are not text.
            if c.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) { return true }
            chars.insert(c, at: cursor)
            cursor += 1
        default:
            return false
        }
        text = String(chars)
        return true
    }

    /// Replaces the whole text, the cursor at its end.
    mutating func set(_ text: String) {
        self.text = text
        cursor = text.count
    }
}
