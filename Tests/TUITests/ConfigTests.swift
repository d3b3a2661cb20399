import Core
import Foundation
import Terminal
import Testing
@testable import TUI

@Suite struct ConfigTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// With BOTIFY_UPDATE_SNAPSHOTS=1, assets/ is rewritten from the compiled-in text (after a change to `CommandTable`).
    static func updateAsset(_ path: String, _ text: String) {
        guard ProcessInfo.processInfo.environment["BOTIFY_UPDATE_SNAPSHOTS"] == "1" else { return }
        try? text.write(to: repo.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test func theShippedConfigIsExactlyTheDefaults() throws {
        Self.updateAsset("assets/config.toml", DefaultAssets.configTOML)
        let text = try String(contentsOf: Self.repo.appendingPathComponent("assets/config.toml"), encoding: .utf8)
        #expect(text == DefaultAssets.configTOML, "assets/config.toml and DefaultAssets.configTOML must stay identical")
        var config = PlayerConfig(keymap: Keymap(bindings: [:]), theme: Theme(colors: [:]), mouse: false, bot: BotDisplay(showPlan: false, skipCue: false))
        try config.apply(toml: text, file: "assets/config.toml")
        #expect(config == PlayerConfig())
    }

    @Test func theShippedHelpTextIsCompiledIn() throws {
        Self.updateAsset("assets/help.txt", DefaultAssets.helpText)
        let text = try String(contentsOf: Self.repo.appendingPathComponent("assets/help.txt"), encoding: .utf8)
        #expect(text == DefaultAssets.helpText)
        for outcome in PlayOutcome.allCases { #expect(text.contains(outcome.rawValue)) }
    }

    @Test func userFileOverridesSingleBindingsAndColours() throws {
        let env = ["XDG_CONFIG_HOME": "/cfg"]
        let config = try PlayerConfig.load(environment: env) { path in
            path == "/cfg/botify/config.toml" ? "[keys]\n\"ctrl-n\" = \"skip\"\n\"n\" = \"\"\n\"N\" = \"seek +30\"\n[colors]\naccent = \"magenta\"\nstatus = \"default\"\n" : nil
        }
        #expect(config.keymap[.char("\u{0E}")] == .skip)
        #expect(config.keymap[.char("n")] == nil)
        #expect(config.keymap[.char("N")] == .seek(30))
        #expect(config.keymap[.char("j")] == .down(1))
        #expect(config.theme.color(.accent) == .magenta && config.theme.color(.status) == nil)
        #expect(try PlayerConfig.load(environment: env) { _ in nil } == PlayerConfig())
    }

    @Test(arguments: [
        ("[keys]\n\"j\" = \"dance\"\n", "/c.toml:2: field 'keys.j' value 'dance': unknown command 'dance'"),
        ("[keys]\n\"hyper-j\" = \"skip\"\n", "/c.toml:2: field 'keys.hyper-j': unknown key name (a character, space, enter, up, pgdn, f1, ctrl-x, …)"),
        ("[keys]\n\"j\" = 3\n", "/c.toml:2: field 'keys.j': the command must be a string"),
        ("[colors]\naccent = \"pink\"\n", "/c.toml:2: field 'colors.accent' value 'pink': unknown colour: use \(PlayerConfig.colorForms)"),
        ("[sounds]\nx = 1\n", "/c.toml:1: field 'sounds': unknown section (botify reads [keys], [theme], [colors], [mouse] and [bot])"),
        ("[mouse]\nenabled = \"no\"\n", "/c.toml:2: field 'mouse.enabled': must be true or false"),
    ])
    func badConfigNamesFileAndKey(_ text: String, _ message: String) {
        var config = PlayerConfig()
        #expect(throws: InputError.self) { try config.apply(toml: text, file: "/c.toml") }
        do { try config.apply(toml: text, file: "/c.toml") } catch { #expect(error.description == message) }
        #expect(config == PlayerConfig())
    }

    @Test func brokenTomlNamesTheLine() {
        var config = PlayerConfig()
        do {
            try config.apply(toml: "[keys]\n\"j\" = \n", file: "/c.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2 && error.file == "/c.toml")
        }
    }

    @Test func scriptsParseWholeOrNotAtAll() throws {
        let script = try Script.parse("# demo\nsearch queen\n\nselect\nwait 2\nskip\nquit\n", file: "demo.botify")
        #expect(script.commands == [.search("queen"), .select, .wait(2), .skip, .quit])
        #expect(throws: InputError(file: "bad.botify", line: 2, value: "skp", "unknown command 'skp'")) {
            try Script.parse("skip\nskp\n", file: "bad.botify")
        }
    }

    @Test func shippedDemoScriptsParse() throws {
        let dir = Self.repo.appendingPathComponent("assets/scripts")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".botify") }
        #expect(!files.isEmpty)
        for f in files {
            _ = try Script.parse(try String(contentsOf: dir.appendingPathComponent(f), encoding: .utf8), file: f)
        }
    }
}
