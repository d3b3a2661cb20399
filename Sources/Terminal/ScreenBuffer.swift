/// One terminal cell. A wide character occupies its cell (width 2) and the next one, which is
/// left as a continuation (width 0, empty text) so that columns keep their meaning.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var width: UInt8
    public var style: Style

    public init(text: String = " ", width: UInt8 = 1, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell()
}

public struct Position: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// What a frame looks like, cell by cell. Views draw into it; a terminal sends only the cells
/// that differ from the previous frame.
public struct ScreenBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the text cursor shows (an open prompt), or nil to hide it.
    public var cursor: Position?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Paints a whole row (a status bar, the cursor line) before text is written on it.
    public mutating func fill(row y: Int, from x0: Int = 0, to x1: Int? = nil, style: Style) {
        guard y >= 0, y < height else { return }
        let end = min(x1 ?? width, width)
        var x = max(0, x0)
        while x < end {
            cells[y * width + x] = Cell(text: " ", width: 1, style: style)
            x += 1
        }
    }

    /// Writes `text` at (x, y) within `maxWidth` columns (default: to the right edge), clipping
    /// rather than wrapping. A wide character that would straddle the limit becomes a space.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            guard col < limit else { break }
            let w = DisplayWidth.of(ch)
            if w == 0 {
                // A lone combining mark: attach it to the previous cell's grapheme.
                if col > 0 && col > x {
                    var prev = col - 1
                    while prev > 0 && cells[y * width + prev].width == 0 { prev -= 1 }
                    cells[y * width + prev].text.append(ch)
                }
                continue
            }
            if col < 0 { col += w; continue }
            if col + w > limit {
                cells[y * width + col] = Cell(text: " ", width: 1, style: style)
                col += 1
                break
            }
            let printable = ch.asciiValue.map { $0 >= 0x20 && $0 != 0x7F } ?? true
            let row = y * width
            // Overwriting half of a wide character blanks its other half.
            if cells[row + col].width == 0 && col > 0 { cells[row + col - 1] = Cell(text: " ", width: 1, style: cells[row + col - 1].style) }
            cells[row + col] = Cell(text: printable ? String(ch) : " ", width: UInt8(w), style: style)
            if w == 2 { cells[row + col + 1] = Cell(text: "", width: 0, style: style) }
            if col + w < width && cells[row + col + w].width == 0 { cells[row + col + w] = Cell(text: " ", width: 1, style: style) }
            col += w
        }
        return col - x
    }

    /// A run of adjacent changed cells with one style: what a terminal has to send.
    public struct Run: Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var text: String
        public var style: Style
    }

    /// The runs that turn `previous` into this buffer (everything when sizes differ or there is
    /// no previous frame). A changed continuation cell resends the wide character it belongs to.
    public func changes(since previous: ScreenBuffer?) -> [Run] {
        let full = previous == nil || previous!.width != width || previous!.height != height
        var runs: [Run] = []
        for y in 0..<height {
            var x = 0
            while x < width {
                let i = y * width + x
                if !full && cells[i] == previous!.cells[i] { x += 1; continue }
                var start = x
                if cells[i].width == 0 && x > 0 { start = x - 1 }
                let style = cells[y * width + start].style
                var text = ""
                var cx = start
                while cx < width {
                    let c = cells[y * width + cx]
                    if cx > x && (c.style != style || (!full && c == previous!.cells[y * width + cx] && c.width != 0)) { break }
                    text += c.text
                    cx += 1
                }
                if let last = runs.last, last.y == y, last.x + DisplayWidth.of(last.text) == start, last.style == style {
                    runs[runs.count - 1].text += text
                } else {
                    runs.append(Run(x: start, y: y, text: text, style: style))
                }
                x = cx
            }
        }
        return runs
    }

    /// The frame as plain text, one string per row, trailing spaces removed (tests, snapshots).
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where cells[y * width + x].width > 0 { line += cells[y * width + x].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
