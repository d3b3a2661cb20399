import Core
import Terminal

/// Colours by role, from `config.toml`'s `[colors]` table. `NO_COLOR` is honoured by the
/// terminal, which then drops colours but keeps bold and reverse.
public struct Theme: Equatable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case accent, header, status, progress, listened, skipped, abandoned, error
    }

    public var colors: [Role: Color?]

    public init(colors: [Role: Color?]) { self.colors = colors }

    public static let defaults = Theme(colors: [
        .accent: .cyan, .header: .yellow, .status: .blue, .progress: .green,
        .listened: .green, .skipped: .yellow, .abandoned: .red, .error: .red,
    ])

    public func color(_ role: Role) -> Color? { colors[role] ?? nil }

    public var header: Style { Style(foreground: color(.header), bold: true) }
    public var tabActive: Style { Style(foreground: color(.accent), bold: true, reverse: true) }
    public var selected: Style { Style(reverse: true) }
    public var accent: Style { Style(foreground: color(.accent), bold: true) }
    public var dim: Style { Style(dim: true) }
    public var statusBar: Style { Style(foreground: .white, background: color(.status)) }
    public var progress: Style { Style(foreground: color(.progress)) }
    public var error: Style { Style(foreground: color(.error), bold: true) }

    public func outcome(_ o: PlayOutcome) -> Style {
        switch o {
        case .listened: Style(foreground: color(.listened))
        case .skipped: Style(foreground: color(.skipped))
        case .abandoned: Style(foreground: color(.abandoned))
        }
    }
}
