/// A colour as a theme names it: one of the terminal's 256 palette entries (0-7 the eight ANSI
/// colours every colour terminal has, 8-15 their bright forms, 16-231 the 6×6×6 cube, 232-255
/// greys) or an exact 24-bit colour. `nil` in a `Style` means the terminal's default. What the
/// terminal can show is decided by `degraded(to:)`, so a theme is written once for every depth.
public enum Color: Hashable, Sendable {
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.indexed(0), red = Color.indexed(1), green = Color.indexed(2), yellow = Color.indexed(3)
    public static let blue = Color.indexed(4), magenta = Color.indexed(5), cyan = Color.indexed(6), white = Color.indexed(7)

    /// The eight names, in palette order ("bright-" before one names 8-15).
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// A name ("cyan", "bright-cyan"), a palette index ("208") or "#rrggbb"; nil for anything else.
    public init?(name text: String) {
        let s = text.lowercased()
        if let i = Color.names.firstIndex(of: s) {
            self = .indexed(UInt8(i))
        } else if s.hasPrefix("bright-"), let i = Color.names.firstIndex(of: String(s.dropFirst(7))) {
            self = .indexed(UInt8(i + 8))
        } else if let n = UInt8(s) {
            self = .indexed(n)
        } else if s.hasPrefix("#"), s.count == 7, s.dropFirst().allSatisfy(\.isHexDigit), let v = UInt32(s.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        } else {
            return nil
        }
    }

    /// How a config file writes it back.
    public var name: String {
        switch self {
        case .indexed(let i) where i < 8: Color.names[Int(i)]
        case .indexed(let i) where i < 16: "bright-" + Color.names[Int(i) - 8]
        case .indexed(let i): String(i)
        case .rgb(let r, let g, let b): "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    /// The colour as red, green and blue, palette entries as xterm draws them by default.
    public var components: (r: Int, g: Int, b: Int) {
        switch self {
        case .rgb(let r, let g, let b): return (Int(r), Int(g), Int(b))
        case .indexed(let i) where i < 16: return Color.ansi[Int(i)]
        case .indexed(let i) where i < 232:
            let n = Int(i) - 16
            return (Color.cubeLevels[n / 36], Color.cubeLevels[n / 6 % 6], Color.cubeLevels[n % 6])
        case .indexed(let i):
            let v = 8 + 10 * (Int(i) - 232)
            return (v, v, v)
        }
    }

    /// The nearest colour the terminal can show. Direct colour keeps exact colours (palette
    /// entries 8-255 become theirs, as direct-colour terminfo sends only 0-7 as palette
    /// numbers); 256 colours map exact colours into the cube and the greys (never 0-15, which
    /// terminals let people redefine); 16 and 8 colours take the nearest ANSI colour, and on
    /// 8 a bright one is its plain form.
    public func degraded(to depth: ColorDepth) -> Color {
        switch (depth, self) {
        case (.direct, .indexed(let i)) where i >= 8: return .rgb(UInt8(components.r), UInt8(components.g), UInt8(components.b))
        case (.direct, _): return self
        case (.palette256, .indexed): return self
        case (.palette256, .rgb): return nearest(in: 16...255)
        case (.sixteen, .indexed(let i)) where i < 16: return self
        case (.sixteen, _): return nearest(in: 0...15)
        case (.eight, .indexed(let i)) where i < 16: return .indexed(i % 8)
        case (.eight, _): return nearest(in: 0...7)
        }
    }

    private func nearest(in range: ClosedRange<UInt8>) -> Color {
        let (r, g, b) = components
        var best = Color.indexed(range.lowerBound), bestDistance = Int.max
        for i in range {
            let c = Color.indexed(i).components
            let d = (c.r - r) * (c.r - r) + (c.g - g) * (c.g - g) + (c.b - b) * (c.b - b)
            if d < bestDistance { (best, bestDistance) = (.indexed(i), d) }
        }
        return best
    }

    /// xterm's default ANSI colours.
    private static let ansi: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    private static let cubeLevels = [0, 95, 135, 175, 215, 255]
}

/// How many colours a terminal shows: from terminfo (`colors`, and `RGB` for direct colour).
public enum ColorDepth: Sendable, Equatable, CaseIterable {
    case eight, sixteen, palette256, direct

    /// `colors` is terminfo's count; `directRGB` its `RGB` flag (TERM=xterm-direct and the like).
    public init(colors: Int, directRGB: Bool) {
        if directRGB || colors >= 1 << 24 {
            self = .direct
        } else if colors >= 256 {
            self = .palette256
        } else if colors >= 16 {
            self = .sixteen
        } else {
            self = .eight
        }
    }
}
