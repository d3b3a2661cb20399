import Core

/// A `--script` file: one command per line (the `:` prompt's language), `wait SECONDS` between
/// them, `#` comments. Parsed whole before the player starts, so a typo never runs half a demo.
public struct Script: Equatable, Sendable {
    public var commands: [Command]
    /// The file's line number of each command (for "script: line 12/40").
    public var lines: [Int]
    /// The file's lines, blank and comment ones included.
    public var lineCount: Int

    public init(commands: [Command], lines: [Int]? = nil, lineCount: Int? = nil) {
        self.commands = commands
        self.lines = lines ?? commands.indices.map { $0 + 1 }
        self.lineCount = lineCount ?? commands.count
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> Script {
        var commands: [Command] = []
        var lines: [Int] = []
        var all = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A final newline ends the last line; it does not start another.
        if all.count > 1, all.last?.isEmpty == true { all.removeLast() }
        for (i, raw) in all.enumerated() {
            let line = String(raw).trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                commands.append(try Command.parse(line))
                lines.append(i + 1)
            } catch {
                throw InputError(file: file, line: i + 1, value: line, error.description)
            }
        }
        return Script(commands: commands, lines: lines, lineCount: all.count)
    }
}

/// Where a running script is, for the status line.
public struct ScriptProgress: Equatable, Sendable {
    /// The file line of the command running (or waiting); nil once the last one has run.
    public var line: Int?
    public var lineCount: Int
}
