/// A terminal without a screen: keys come from a queue, frames are kept as text. Tests drive the
/// real app loop through it and compare `lines` with golden files.
public final class HeadlessTerminal: Terminal {
    public var size: TerminalSize
    public private(set) var frame: ScreenBuffer?
    /// Cells sent by the last `draw`: proves that an unchanged frame sends nothing.
    public private(set) var lastChangedCells = 0
    public private(set) var framesDrawn = 0
    private var keys: [Key] = []
    public private(set) var isShutDown = false

    public init(width: Int = 80, height: Int = 24) {
        size = TerminalSize(width: width, height: height)
    }

    public func enqueue(_ keys: Key...) { self.keys.append(contentsOf: keys) }
    public func enqueue(text: String) { keys.append(contentsOf: text.map { Key.char($0) }) }

    public func resize(width: Int, height: Int) {
        size = TerminalSize(width: width, height: height)
        keys.append(.resize)
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        keys.isEmpty ? nil : keys.removeFirst()
    }

    public func draw(_ buffer: ScreenBuffer) {
        lastChangedCells = buffer.changes(since: frame).reduce(0) { $0 + DisplayWidth.of($1.text) }
        frame = buffer
        framesDrawn += 1
    }

    public func shutdown() { isShutDown = true }

    public var lines: [String] { frame?.lines ?? [] }
    public var text: String { lines.joined(separator: "\n") }
}
