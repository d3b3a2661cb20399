/// The eight colours every colour terminal has; `nil` in a `Style` means the terminal's default.
public enum Color: UInt8, CaseIterable, Sendable {
    case black, red, green, yellow, blue, magenta, cyan, white

    public init?(name: String) {
        guard let c = Color.allCases.first(where: { "\($0)" == name.lowercased() }) else { return nil }
        self = c
    }
}

/// How a cell is drawn. Views pick styles by role; colours are dropped when `NO_COLOR` is set
/// (the terminal decides), while bold/reverse stay so the cursor row remains visible.
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

    public var withoutColors: Style {
        Style(bold: bold, reverse: reverse, underline: underline, dim: dim)
    }
}
