import Core
import Terminal
import TOMLKit

/// What bot mode shows besides the plays (`[bot]` in config.toml; `--no-spoilers` on the command line).
public struct BotDisplay: Equatable, Sendable {
    /// "listener: moves on at 0:48 (0.23)": the simulated listener's plan for the track, before it happens.
    public var showPlan = true
    /// A flash on the player bar, "skipped at 23%", held long enough to read at any speed.
    public var skipCue = true

    public init(showPlan: Bool = true, skipCue: Bool = true) {
        self.showPlan = showPlan
        self.skipCue = skipCue
    }
}

/// Key bindings, colours, the mouse and bot mode's display: the defaults (assets/config.toml)
/// overridden by the user's file.
public struct PlayerConfig: Equatable, Sendable {
    public var keymap: Keymap
    public var theme: Theme
    /// `[mouse] enabled`: whether the player asks the terminal for clicks and the wheel.
    public var mouse: Bool
    public var bot: BotDisplay

    public init(keymap: Keymap = .defaults, theme: Theme = .defaults, mouse: Bool = true, bot: BotDisplay = BotDisplay()) {
        self.keymap = keymap
        self.theme = theme
        self.mouse = mouse
        self.bot = bot
    }

    /// `$XDG_CONFIG_HOME/botify/config.toml`, else `~/.config/botify/config.toml`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/botify/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/botify/config.toml" }
        return nil
    }

    /// The defaults with the user's file applied; no file means the defaults.
    public static func load(environment: [String: String], readFile: (String) -> String?) throws(InputError) -> PlayerConfig {
        guard let path = defaultPath(environment: environment), let text = readFile(path) else { return PlayerConfig() }
        var config = PlayerConfig()
        try config.apply(toml: text, file: path)
        return config
    }

    static let sections = "[keys], [theme], [colors], [mouse] and [bot]"

    /// Applies a config file's tables over the current values. Any problem names the file, the
    /// line, the key and the value, and nothing is applied. `[theme] preset` is applied first,
    /// wherever it stands, so the roles set beside it (or in `[colors]`) override it.
    public mutating func apply(toml text: String, file: String) throws(InputError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw InputError(file: file, line: error.source.begin.line, "not valid TOML: \(error.description)")
        } catch {
            throw InputError(file: file, "not valid TOML: \(error)")
        }
        func problem(_ section: String, _ key: String?, value: String? = nil, _ text_: String) -> InputError {
            InputError(file: file, line: ConfigLines.line(of: key, in: section, text: text),
                       field: key.map { "\(section).\($0)" } ?? section, value: value, text_)
        }
        var next = self
        for section in table.keys {
            guard table[section]?.table != nil else {
                throw problem(section, nil, "expected a table: one of \(Self.sections)")
            }
        }
        if let preset = table["theme"]?.table?["preset"] {
            guard let name = preset.string else { throw problem("theme", "preset", "the preset must be a string") }
            guard let theme = Theme.preset(named: name) else {
                throw problem("theme", "preset", value: name, "unknown preset (one of: \(Theme.presets.map(\.preset).joined(separator: ", ")))")
            }
            next.theme = theme
        }
        for section in table.keys {
            let sub = table[section]!.table!
            switch section {
            case "keys":
                for name in sub.keys {
                    guard let key = Key(name: name) else {
                        throw problem(section, name, "unknown key name (a character, space, enter, up, pgdn, f1, ctrl-x, …)")
                    }
                    guard let value = sub[name]?.string else { throw problem(section, name, "the command must be a string") }
                    if value.isEmpty {
                        next.keymap[key] = nil
                        continue
                    }
                    do {
                        next.keymap[key] = try Command.parse(value)
                    } catch {
                        throw problem(section, name, value: value, error.description)
                    }
                }
            case "theme", "colors":
                for name in sub.keys where !(section == "theme" && name == "preset") {
                    guard let role = Theme.Role(rawValue: name) else {
                        let also = section == "theme" ? "preset, " : ""
                        throw problem(section, name, "unknown colour role (one of: \(also)\(Theme.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    next.theme.colors[role] = try Self.color(sub[name]!, field: { value, text_ throws(InputError) in
                        throw problem(section, name, value: value, text_)
                    })
                }
            case "mouse":
                for name in sub.keys {
                    guard name == "enabled" else { throw problem(section, name, "unknown setting (mouse has: enabled)") }
                    guard let on = sub[name]?.bool else { throw problem(section, name, "must be true or false") }
                    next.mouse = on
                }
            case "bot":
                for name in sub.keys {
                    guard name == "show_plan" || name == "skip_cue" else {
                        throw problem(section, name, "unknown setting (bot has: show_plan, skip_cue)")
                    }
                    guard let on = sub[name]?.bool else { throw problem(section, name, "must be true or false") }
                    if name == "show_plan" { next.bot.showPlan = on } else { next.bot.skipCue = on }
                }
            default:
                throw problem(section, nil, "unknown section (botify reads \(Self.sections))")
            }
        }
        self = next
    }

    static let colorForms = "a name (black, red, green, yellow, blue, magenta, cyan, white, bright-red, …), "
        + "a palette index 0-255, \"#rrggbb\" or \"default\""

    /// A role's colour: a string (name, "#rrggbb", "default", "208") or an integer 0-255;
    /// `.some(nil)` is the terminal's default colour.
    static func color(_ value: any TOMLValueConvertible, field fail: (String?, String) throws(InputError) -> Never) throws(InputError) -> Color? {
        if let n = value.int {
            guard (0...255).contains(n) else { try fail(String(n), "a palette index must be 0-255") }
            return .indexed(UInt8(n))
        }
        guard let s = value.string else { try fail(nil, "the colour must be \(colorForms)") }
        if s == "default" { return nil }
        guard let color = Color(name: s) else { try fail(s, "unknown colour: use \(colorForms)") }
        return color
    }
}

/// Where a key stands in a config file, for messages: TOMLKit gives positions only for syntax
/// errors, so the line is found by reading the text as TOML lays it out (`[section]` headers,
/// then `key =` or `"key" =`).
enum ConfigLines {
    static func line(of key: String?, in section: String, text: String) -> Int? {
        var current = ""
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmingCharacters(in: " \t\r")
            if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
                current = String(line[line.index(after: line.startIndex)..<end]).trimmingCharacters(in: " \t")
                if key == nil, current == section { return i + 1 }
                continue
            }
            guard let key, current == section, let eq = line.firstIndex(of: "=") else { continue }
            var name = String(line[..<eq]).trimmingCharacters(in: " \t")
            if name.count >= 2, let q = name.first, q == "\"" || q == "'", name.last == q { name = String(name.dropFirst().dropLast()) }
            if name == key { return i + 1 }
        }
        return nil
    }
}
