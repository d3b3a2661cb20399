/// How a cell is drawn. Views pick styles by role; colours are dropped when `NO_COLOR` is set
/// (the terminal decides), while bold and reverse stay so the cursor row remains visible.
public struct Style: Hashable, Sendable {
    public var foreground: Color?
    public var background: Color?
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(foreground: Color? = nil, background: Color? = nil, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = Style()

    /// The style on a terminal without colours: a coloured background (a status bar) becomes
    /// reverse video so that it still stands out.
    public var withoutColors: Style {
        Style(bold: bold, reverse: reverse || background != nil, underline: underline, dim: dim)
    }

    /// The style with its colours as near as a terminal of `depth` shows them.
    public func degraded(to depth: ColorDepth) -> Style {
        var s = self
        s.foreground = foreground?.degraded(to: depth)
        s.background = background?.degraded(to: depth)
        return s
    }
}
