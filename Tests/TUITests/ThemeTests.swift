import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 11: 256-colour and 24-bit themes in config.toml, two presets besides the
/// default, each brought down to what the terminal shows.
@Suite struct ThemeTests {
    @Test(arguments: [
        ("cyan", Color.cyan), ("CYAN", .cyan), ("bright-red", .indexed(9)), ("0", .indexed(0)), ("208", .indexed(208)),
        ("255", .indexed(255)), ("#268bd2", .rgb(0x26, 0x8B, 0xD2)), ("#FFFFFF", .rgb(255, 255, 255)),
    ])
    func coloursParse(_ text: String, _ color: Color) {
        #expect(Color(name: text) == color)
        #expect(Color(name: color.name) == color, "the written-back form reads back")
    }

    @Test(arguments: ["pink", "256", "-1", "#12345", "#1234567", "#gg0000", "", "bright-", "bright-pink", "0x10"])
    func badColoursAreRefused(_ text: String) {
        #expect(Color(name: text) == nil)
    }

    @Test func paletteEntriesHaveXtermsComponents() {
        #expect(Color.indexed(16).components == (0, 0, 0))
        #expect(Color.indexed(196).components == (255, 0, 0))
        #expect(Color.indexed(231).components == (255, 255, 255))
        #expect(Color.indexed(232).components == (8, 8, 8) && Color.indexed(255).components == (238, 238, 238))
        #expect(Color.indexed(1).components == (205, 0, 0))
    }

    @Test func degradingKeepsWhatTheTerminalShowsAndFindsTheNearestOtherwise() {
        let orange = Color.rgb(0xCB, 0x4B, 0x16)
        #expect(orange.degraded(to: .direct) == orange)
        #expect(orange.degraded(to: .palette256) == .indexed(166))  // #d75f00
        #expect(orange.degraded(to: .sixteen) == .red)
        #expect(orange.degraded(to: .eight) == .red)
        // Palette entries: kept where they exist, exact colours where only 0-7 are palette numbers.
        #expect(Color.indexed(208).degraded(to: .palette256) == .indexed(208))
        #expect(Color.indexed(208).degraded(to: .direct) == .rgb(255, 135, 0))
        #expect(Color.cyan.degraded(to: .direct) == .cyan)
        #expect(Color.indexed(12).degraded(to: .sixteen) == .indexed(12))
        #expect(Color.indexed(12).degraded(to: .eight) == .blue, "a bright colour is its plain form on 8")
        // 256 colours never map onto 0-15, which people redefine.
        #expect(Color.rgb(0, 0, 0).degraded(to: .palette256) == .indexed(16))
        #expect(Color.rgb(0x30, 0x30, 0x30).degraded(to: .palette256) == .indexed(236))
        // A grey becomes white or black on 8 colours, whichever is nearer.
        #expect(Color.indexed(245).degraded(to: .eight) == .white)
        #expect(Color.indexed(235).degraded(to: .eight) == .black)
    }

    @Test func everyPresetShowsOnEveryDepthWithDistinctStatusColours() {
        for theme in Theme.presets {
            for depth in ColorDepth.allCases {
                let bar = theme.statusBar.degraded(to: depth)
                for color in [bar.foreground, bar.background].compactMap({ $0 }) {
                    switch (depth, color) {
                    case (.eight, .indexed(let i)): #expect(i < 8, "\(theme.preset) at \(depth)")
                    case (.sixteen, .indexed(let i)): #expect(i < 16, "\(theme.preset) at \(depth)")
                    case (.palette256, .indexed), (.direct, _): break
                    default: Issue.record("\(theme.preset) at \(depth): \(color)")
                    }
                }
                if let fg = bar.foreground, let bg = bar.background { #expect(fg != bg, "\(theme.preset) status unreadable at \(depth)") }
            }
        }
    }

    @Test func depthFollowsTerminfo() {
        #expect(ColorDepth(colors: 8, directRGB: false) == .eight)
        #expect(ColorDepth(colors: 16, directRGB: false) == .sixteen)
        #expect(ColorDepth(colors: 256, directRGB: false) == .palette256)
        #expect(ColorDepth(colors: 256, directRGB: true) == .direct)
        #expect(ColorDepth(colors: 16_777_216, directRGB: false) == .direct)
    }

    @Test func withoutColoursTheSelectionAndBarsStillStandOut() {
        for theme in Theme.presets {
            #expect(theme.selected.withoutColors.reverse, "\(theme.preset)")
            #expect(theme.statusBar.withoutColors.reverse && theme.skipCue.withoutColors.reverse, "\(theme.preset)")
        }
    }

    @Test func aPresetAndRolesComeFromTheThemeTable() throws {
        var config = PlayerConfig()
        // The roles override the preset wherever the preset line stands, [colors] included.
        try config.apply(toml: "[colors]\nheader = \"magenta\"\n[theme]\naccent = \"#ff8700\"\nskipped = 208\npreset = \"light\"\nselection = \"default\"\n",
                         file: "c.toml")
        #expect(config.theme.preset == "light")
        #expect(config.theme.color(.accent) == .rgb(255, 135, 0))
        #expect(config.theme.color(.skipped) == .indexed(208))
        #expect(config.theme.color(.header) == .magenta)
        #expect(config.theme.color(.selection) == nil && config.theme.selected.reverse)
        #expect(config.theme.color(.status) == Theme.light.color(.status))
        var solarized = PlayerConfig()
        try solarized.apply(toml: "[theme]\npreset = \"Solarized\"\n", file: "c.toml")
        #expect(solarized.theme == .solarized)
    }

    @Test(arguments: [
        ("[theme]\npreset = \"neon\"\n", "/c.toml:2: field 'theme.preset' value 'neon': unknown preset (one of: default, light, solarized)"),
        ("[theme]\npreset = 3\n", "/c.toml:2: field 'theme.preset': the preset must be a string"),
        ("# mine\n[theme]\npreset = \"light\"\n\n  accent = \"#12345g\"\n",
         "/c.toml:5: field 'theme.accent' value '#12345g': unknown colour: use \(PlayerConfig.colorForms)"),
        ("[theme]\nskipped = 300\n", "/c.toml:2: field 'theme.skipped' value '300': a palette index must be 0-255"),
        ("[theme]\nskipped = true\n", "/c.toml:2: field 'theme.skipped': the colour must be \(PlayerConfig.colorForms)"),
        ("[theme]\nbackground = \"red\"\n",
         "/c.toml:2: field 'theme.background': unknown colour role (one of: preset, accent, header, status, status_text, progress, listened, skipped, abandoned, error, selection, selection_text)"),
        ("[keys]\nj = \"down\"\n[colors]\n\"accent\" = \"pink\"\n",
         "/c.toml:4: field 'colors.accent' value 'pink': unknown colour: use \(PlayerConfig.colorForms)"),
        ("[bot]\nshow_plan = \"no\"\n", "/c.toml:2: field 'bot.show_plan': must be true or false"),
        ("[bot]\nspoilers = false\n", "/c.toml:2: field 'bot.spoilers': unknown setting (bot has: show_plan, skip_cue)"),
    ])
    func badThemeValuesNameFileLineFieldAndValue(_ text: String, _ message: String) {
        var config = PlayerConfig()
        do {
            try config.apply(toml: text, file: "/c.toml")
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.description == message)
        }
        #expect(config == PlayerConfig(), "nothing is applied")
    }

    @Test func theThemeCommandSwitchesPresetsAndSaysWhich() throws {
        var state = makeState()
        apply(&state, .command(Command("theme")))
        #expect(state.message?.text == "theme: default (presets: default, light, solarized)")
        apply(&state, .command(Command("theme", .text("solarized"))))
        #expect(state.theme == .solarized && state.message?.text == "theme: solarized")
        apply(&state, .command(Command("theme", .text("neon"))))
        #expect(state.theme == .solarized && state.message == Message(text: "unknown theme 'neon' (one of: default, light, solarized)", isError: true))
        #expect(try Command.parse("theme light") == Command("theme", .text("light")))
        #expect(CommandTable.helpLines.contains { $0.contains("theme [NAME]") })
    }
}

/// Golden frames of each preset with its colours: Now Playing mid-session (the outcomes, the
/// bars, the status line) and the Library's cursor row, as the terminal would receive them.
@Suite struct ThemeSnapshotTests {
    static func themed(_ theme: Theme, _ screen: Screen, _ w: Int, _ h: Int) -> ScreenBuffer {
        var state = ScreenSnapshotTests.playingState(width: w, height: h)
        state.theme = theme
        state.screen = screen
        if screen == .library { state.library.cursor = 2 }
        return AppView.render(state)
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func light(_ w: Int, _ h: Int) {
        assertStyledSnapshot(Self.themed(.light, .nowPlaying, w, h), named: "theme-light-now-playing-\(w)x\(h)", depth: .palette256)
        assertStyledSnapshot(Self.themed(.light, .library, w, h), named: "theme-light-library-\(w)x\(h)", depth: .palette256)
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func solarized(_ w: Int, _ h: Int) {
        assertStyledSnapshot(Self.themed(.solarized, .nowPlaying, w, h), named: "theme-solarized-now-playing-\(w)x\(h)", depth: .direct)
        assertStyledSnapshot(Self.themed(.solarized, .library, w, h), named: "theme-solarized-library-\(w)x\(h)", depth: .direct)
    }

    /// The same Solarized frame on a 256-colour and an 8-colour terminal: the nearest colours.
    @Test(arguments: [ColorDepth.palette256, .eight])
    func solarizedDegraded(_ depth: ColorDepth) {
        assertStyledSnapshot(Self.themed(.solarized, .nowPlaying, 80, 24), named: "theme-solarized-now-playing-80x24-\(depth)", depth: depth)
    }

    @Test func theDefaultThemeIsTheEightColoursItAlwaysWas() {
        assertStyledSnapshot(Self.themed(.defaults, .nowPlaying, 80, 24), named: "theme-default-now-playing-80x24", depth: .eight)
    }
}
