public struct TerminalSize: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// What the app needs from a terminal. `NCursesTerminal` is the real one; `HeadlessTerminal`
/// renders to text for tests. Only implementations of this protocol touch curses.
public protocol Terminal: AnyObject {
    var size: TerminalSize { get }
    /// The next key, waiting at most `timeoutMilliseconds`; nil when none arrived (a tick).
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Shows `buffer`, sending only what changed since the previous frame.
    func draw(_ buffer: ScreenBuffer)
    /// Gives the terminal back to the shell (idempotent).
    func shutdown()
}

/// Why the interactive player cannot start here; the message points to the headless commands.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String {
        "\(reason): the player needs an interactive terminal. Headless alternatives: "
            + "'botify simulate', 'botify ab', 'botify stats', 'botify export'."
    }
}
