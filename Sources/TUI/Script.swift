import Core

/// A `--script` file: one command per line (the `:` prompt's language), `wait SECONDS` between
/// them, `#` comments. Parsed whole before the player starts, so a typo never runs half a demo.
public struct Script: Equatable, Sendable {
    public var commands: [Command]

    public init(commands: [Command]) { self.commands = commands }

    public static func parse(_ text: String, file: String) throws(InputError) -> Script {
        var commands: [Command] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                commands.append(try Command.parse(line))
            } catch {
                throw InputError(file: file, line: i + 1, value: line, error.description)
            }
        }
        return Script(commands: commands)
    }
}
