import Terminal
import Testing
@testable import TUI

@Suite struct CommandTests {
    static let samples: [Command] = [
        .up(1), .down(3), .top, .bottom, .pageUp, .pageDown, .select, .screen(.nowPlaying), .skip, .pause, .seek(10), .seek(-5),
        .speed(2), .speed(0.5), .speed(3), .speed(1), .speedBy(2), .speedBy(0.5), .speedBy(1.5), .like, .stop, .searchPrompt, .search("queen"), .filterGenre("rock"),
        .filterArtist("Café Tacvba"), .filterGenreOfSelection, .filterArtistOfSelection, .clearFilter, .sort(.year), .cycleSort,
        .strategy("sticky-artist"), .retrain("als"), .retrainSelected, .cycleSource, .commandPrompt, .wait(1.5), .quit,
    ]

    @Test(arguments: samples)
    func textRoundTrips(_ command: Command) throws {
        #expect(try Command.parse(command.text) == command)
    }

    @Test func screensByNameOrNumber() throws {
        #expect(try Command.parse("screen 4") == .screen(.stats))
        #expect(try Command.parse("screen Now Playing") == .screen(.nowPlaying))
        #expect(try Command.parse("  skip  ") == .skip)
    }

    @Test(arguments: [("", "empty command"), ("dance", "unknown command 'dance'"), ("seek soon", "'seek' needs a number, got 'soon'"),
                      ("screen 9", "unknown screen '9' (one of: library, now-playing, strategies, stats, history, help)"),
                      ("speed -2", "speed must be positive, got '-2'"), ("speed fast", "'speed' needs a number, +, - or *FACTOR, got 'fast'"), ("strategy", "'strategy' needs an argument")])
    func badCommandsSayWhy(_ text: String, _ message: String) {
        #expect(throws: CommandError(message)) { try Command.parse(text) }
    }

    /// Every entry of the table reaches Help, the default keymap and config.toml, so one entry
    /// is all a new command needs.
    @Test func everyTableEntryIsListedBoundAndParsed() throws {
        let help = HelpView.lines(makeState()).map(\.text).joined(separator: "\n")
        for spec in CommandTable.all {
            #expect(help.contains("  " + spec.name), "Help lists \(spec.name)")
            for binding in spec.keys {
                let key = try #require(Key(name: binding.key))
                let command = try #require(Keymap.defaults[key])
                #expect(command.name == spec.name && command.text == (binding.argument.isEmpty ? spec.name : spec.name + " " + binding.argument))
                #expect(DefaultAssets.configTOML.contains("\"\(binding.key)\" = \"\(command.text)\""))
            }
            // Each name and alias reaches its own entry (a bare name may lack a needed argument).
            for name in [spec.name] + spec.aliases {
                do { #expect(try Command.parse(name).name == spec.name) } catch { #expect(error.description.contains("'\(spec.name)'")) }
            }
        }
        #expect(Keymap.defaults.bindings.count == CommandTable.all.map(\.keys.count).reduce(0, +))
    }

    @Test func argumentsAreCheckedAndNeverTrap() throws {
        #expect(try Command.parse("down 1e300") == .down(1_000_000_000))
        #expect(try Command.parse("up -4") == .up(1))
        #expect(try Command.parse("NEXT") == .skip && Command.parse("q") == .quit)
        #expect(try Command.parse("filter artist  Café  Tacvba ") == .filterArtist("Café  Tacvba"))
        #expect(throws: CommandError("'skip' takes no argument, got 'now'")) { try Command.parse("skip now") }
        #expect(throws: CommandError("use 'filter genre [NAME]', 'filter subgenre [NAME]', 'filter artist [NAME]', 'filter year [FROM-TO]' or 'filter clear [KIND]'")) {
            try Command.parse("filter decade")
        }
    }

    @Test func keyNamesRoundTrip() {
        for key in Keymap.defaults.bindings.keys { #expect(Key(name: key.name) == key) }
        #expect(Key(name: "ctrl-l") == .char("\u{0C}"))
        #expect(Key(name: "f5") == .function(5))
        #expect(Key(name: "hyper-x") == nil)
    }
}
