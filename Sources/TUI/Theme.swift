import Core
import Terminal

/// Colours by role: a preset (`[theme] preset`, or `:theme NAME`) with single roles overridden
/// by `config.toml`'s `[theme]` (or the older `[colors]`) table. Colours may be palette indexes
/// or exact `#rrggbb`; the terminal brings them down to what it shows (256, 16 or 8 colours),
/// and `NO_COLOR` drops them but keeps bold and reverse.
public struct Theme: Equatable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case accent, header, status
        /// Text on the status bar.
        case statusText = "status_text"
        case progress, listened, skipped, abandoned, error
        /// The cursor row's background and text; with no background it is drawn in reverse video.
        case selection
        case selectionText = "selection_text"
    }

    /// The preset the colours started from (what `:theme` reports).
    public var preset: String
    public var colors: [Role: Color?]

    public init(preset: String = "custom", colors: [Role: Color?]) {
        self.preset = preset
        self.colors = colors
    }

    public static let defaults = Theme(preset: "default", colors: [
        .accent: .cyan, .header: .yellow, .status: .blue, .statusText: .white, .progress: .green,
        .listened: .green, .skipped: .yellow, .abandoned: .red, .error: .red, .selection: nil, .selectionText: nil,
    ])

    /// For light terminal backgrounds: darker colours from the 256-colour palette.
    public static let light = Theme(preset: "light", colors: [
        .accent: .indexed(25), .header: .indexed(130), .status: .indexed(24), .statusText: .indexed(231),
        .progress: .indexed(28), .listened: .indexed(28), .skipped: .indexed(136), .abandoned: .indexed(124),
        .error: .indexed(160), .selection: .indexed(189), .selectionText: .indexed(16),
    ])

    /// Ethan Schoonover's Solarized (dark) in exact 24-bit colours.
    public static let solarized = Theme(preset: "solarized", colors: [
        .accent: .rgb(0x26, 0x8B, 0xD2), .header: .rgb(0xB5, 0x89, 0x00), .status: .rgb(0x07, 0x36, 0x42),
        .statusText: .rgb(0x93, 0xA1, 0xA1), .progress: .rgb(0x2A, 0xA1, 0x98), .listened: .rgb(0x85, 0x99, 0x00),
        .skipped: .rgb(0xCB, 0x4B, 0x16), .abandoned: .rgb(0xDC, 0x32, 0x2F), .error: .rgb(0xDC, 0x32, 0x2F),
        .selection: .rgb(0x58, 0x6E, 0x75), .selectionText: .rgb(0xFD, 0xF6, 0xE3),
    ])

    public static let presets = [defaults, light, solarized]

    public static func preset(named name: String) -> Theme? { presets.first { $0.preset == name.lowercased() } }

    public func color(_ role: Role) -> Color? { colors[role] ?? nil }

    public var header: Style { Style(foreground: color(.header), bold: true) }
    public var tabActive: Style { Style(foreground: color(.accent), bold: true, reverse: true) }
    public var selected: Style {
        color(.selection) == nil ? Style(foreground: color(.selectionText), reverse: true)
            : Style(foreground: color(.selectionText), background: color(.selection))
    }
    public var accent: Style { Style(foreground: color(.accent), bold: true) }
    public var dim: Style { Style(dim: true) }
    public var statusBar: Style { Style(foreground: color(.statusText), background: color(.status)) }
    public var statusBold: Style { Style(foreground: color(.statusText), background: color(.status), bold: true) }
    public var errorBar: Style { Style(foreground: color(.statusText), background: color(.error), bold: true) }
    public var progress: Style { Style(foreground: color(.progress)) }
    public var error: Style { Style(foreground: color(.error), bold: true) }
    /// Bot mode's flash when the listener skips: the skip colour as a background, so it shows
    /// from across the room (and as reverse video without colours).
    public var skipCue: Style { Style(foreground: color(.statusText), background: color(.skipped) ?? .yellow, bold: true) }

    public func outcome(_ o: PlayOutcome) -> Style {
        switch o {
        case .listened: Style(foreground: color(.listened))
        case .skipped: Style(foreground: color(.skipped))
        case .abandoned: Style(foreground: color(.abandoned))
        }
    }
}
