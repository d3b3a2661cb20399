import Core
import Terminal
import TOMLKit

/// Key bindings and colours: the defaults (assets/config.toml) overridden by the user's file.
public struct PlayerConfig: Equatable, Sendable {
    public var keymap: Keymap
    public var theme: Theme
    /// `[mouse] enabled`: whether the player asks the terminal for clicks and the wheel.
    public var mouse: Bool

    public init(keymap: Keymap = .defaults, theme: Theme = .defaults, mouse: Bool = true) {
        self.keymap = keymap
        self.theme = theme
        self.mouse = mouse
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

    /// Applies a config file's `[keys]` and `[colors]` over the current values. Any problem names
    /// the file and the key, and nothing is applied.
    public mutating func apply(toml text: String, file: String) throws(InputError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw InputError(file: file, line: error.source.begin.line, "not valid TOML: \(error.description)")
        } catch {
            throw InputError(file: file, "not valid TOML: \(error)")
        }
        var next = self
        for section in table.keys {
            guard let sub = table[section]?.table else {
                throw InputError(file: file, field: section, "expected a table: [keys], [colors] or [mouse]")
            }
            switch section {
            case "keys":
                for name in sub.keys {
                    guard let key = Key(name: name) else {
                        throw InputError(file: file, field: "keys.\(name)", "unknown key name (a character, space, enter, up, pgdn, f1, ctrl-x, …)")
                    }
                    guard let value = sub[name]?.string else { throw InputError(file: file, field: "keys.\(name)", "the command must be a string") }
                    if value.isEmpty {
                        next.keymap[key] = nil
                        continue
                    }
                    do {
                        next.keymap[key] = try Command.parse(value)
                    } catch {
                        throw InputError(file: file, field: "keys.\(name)", value: value, error.description)
                    }
                }
            case "colors":
                for name in sub.keys {
                    guard let role = Theme.Role(rawValue: name) else {
                        throw InputError(file: file, field: "colors.\(name)",
                                         "unknown colour role (one of: \(Theme.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    guard let value = sub[name]?.string else { throw InputError(file: file, field: "colors.\(name)", "the colour must be a string") }
                    if value == "default" {
                        next.theme.colors[role] = .some(nil)
                    } else if let color = Color(name: value) {
                        next.theme.colors[role] = color
                    } else {
                        throw InputError(file: file, field: "colors.\(name)", value: value,
                                         "unknown colour (black, red, green, yellow, blue, magenta, cyan, white, default)")
                    }
                }
            case "mouse":
                for name in sub.keys {
                    guard name == "enabled" else { throw InputError(file: file, field: "mouse.\(name)", "unknown setting (mouse has: enabled)") }
                    guard let on = sub[name]?.bool else { throw InputError(file: file, field: "mouse.enabled", "must be true or false") }
                    next.mouse = on
                }
            default:
                throw InputError(file: file, field: section, "unknown section (botify reads [keys], [colors] and [mouse])")
            }
        }
        self = next
    }
}
