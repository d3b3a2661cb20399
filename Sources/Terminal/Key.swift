/// A key press as the app sees it, whatever the terminal. Signals arrive as keys too, so the
/// one input loop handles Ctrl-C, SIGTERM and SIGHUP like any other event.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
    case function(Int)
    /// The terminal changed size; read the new size from the terminal.
    case resize
    /// SIGINT, SIGTERM or SIGHUP was received.
    case signal(Int32)
    /// A mouse click or wheel turn (xterm SGR mouse, when the terminal reports it).
    case mouse(MouseEvent)

    private static let named: [(String, Key)] = [
        ("space", .char(" ")), ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("pgup", .pageUp), ("pgdn", .pageDown), ("home", .home), ("end", .end),
        ("enter", .enter), ("esc", .escape), ("backspace", .backspace), ("delete", .delete), ("tab", .tab),
    ]

    /// The name used in config files and the help screen: "j", "G", "space", "pgdn", "ctrl-l", "f1".
    public var name: String {
        if let n = Key.named.first(where: { $0.1 == self }) { return n.0 }
        switch self {
        case .char(let c):
            if let v = c.asciiValue, v >= 1, v <= 26 { return "ctrl-" + String(UnicodeScalar(v + 96)) }
            return String(c)
        case .function(let n): return "f\(n)"
        case .resize: return "resize"
        case .signal(let s): return "signal-\(s)"
        case .mouse: return "mouse"
        default: return "?"
        }
    }

    public init?(name: String) {
        if let n = Key.named.first(where: { $0.0 == name.lowercased() }) { self = n.1; return }
        if name.count == 1, let c = name.first { self = .char(c); return }
        let lower = name.lowercased()
        if lower.hasPrefix("ctrl-"), lower.count == 6, let c = lower.last?.asciiValue, c >= 97, c <= 122 {
            self = .char(Character(UnicodeScalar(c - 96))); return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { self = .function(n); return }
        return nil
    }
}

/// Where the mouse acted, in cells from the top left, and how.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case click, doubleClick, wheelUp, wheelDown }
    public var x: Int
    public var y: Int
    public var kind: Kind
    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
