import Core

/// The screens, in the order of their number keys (1–6).
public enum Screen: String, CaseIterable, Sendable {
    case library, nowPlaying = "now-playing", strategies, stats, history, help

    public var title: String {
        switch self {
        case .library: "Library"
        case .nowPlaying: "Now Playing"
        case .strategies: "Strategies"
        case .stats: "Stats"
        case .history: "History"
        case .help: "Help"
        }
    }

    public var number: Int { Screen.allCases.firstIndex(of: self)! + 1 }

    init?(argument: String) {
        let a = argument.lowercased()
        if let n = Int(a), (1...Screen.allCases.count).contains(n) { self = Screen.allCases[n - 1]; return }
        if let s = Screen(rawValue: a) ?? Screen.allCases.first(where: { $0.title.lowercased() == a || a == "playing" && $0 == .nowPlaying }) {
            self = s; return
        }
        return nil
    }
}

public enum SortKey: String, CaseIterable, Sendable {
    case title, artist, album, genre, year, duration, popularity
}

/// `sort KEY asc|desc` runs the key one way; `sort reverse` turns the order in force around.
public enum SortDirection: String, CaseIterable, Sendable {
    case asc, desc, reverse
}

/// What a command takes after its name, typed; each kind writes itself back the way `parse` reads it.
public enum CommandArgument: Equatable, Sendable {
    case none
    /// "up 3" (1 is written as nothing).
    case count(Int)
    /// "seek +10": signed seconds.
    case offset(Double)
    /// "speed 2", "wait 1.5".
    case number(Double)
    /// "speed +" (×2), "speed -" (×0.5), "speed *1.5".
    case factor(Double)
    case text(String)
    case screen(Screen)
    case sort(SortKey)
    /// "sort year desc", "sort desc" (the key in force), "sort reverse".
    case sorting(SortKey?, SortDirection)
    /// "filter year 1990-1999", "filter year 1999".
    case years(ClosedRange<Int16>)

    var text: String {
        switch self {
        case .none: ""
        case .count(let n): n == 1 ? "" : String(n)
        case .offset(let v): (v >= 0 ? "+" : "") + Self.number(v)
        case .number(let v): Self.number(v)
        case .factor(let f): f == 2 ? "+" : f == 0.5 ? "-" : "*" + Self.number(f)
        case .text(let t): t
        case .screen(let s): s.rawValue
        case .sort(let k): k.rawValue
        case .sorting(let k, let d): k.map { $0.rawValue + " " + d.rawValue } ?? d.rawValue
        case .years(let range): YearRange.text(range)
        }
    }

    private static func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
}

/// Everything a person (a key, the `:` prompt), a config file or a script can ask for: a
/// command of `CommandTable` and its argument. Keys are bound to commands, never to code, so all
/// four speak the same language (the cmus model).
public struct Command: Equatable, Sendable, CustomStringConvertible {
    /// The command's name in `CommandTable` ("filter genre" has two words).
    public let name: String
    public let argument: CommandArgument

    public init(_ name: String, _ argument: CommandArgument = .none) {
        self.name = name
        self.argument = argument
    }

    /// The text form, which `parse` reads back (shown in Help next to each key).
    public var text: String {
        let a = argument.text
        return a.isEmpty ? name : name + " " + a
    }

    public var description: String { text }

    /// Parses the text typed at `:`, written in config.toml or in a script.
    public static func parse(_ text: String) throws(CommandError) -> Command {
        let trimmed = text.trimmingCharacters(in: " \t")
        guard !trimmed.isEmpty else { throw CommandError("empty command") }
        let (spec, rest) = try CommandTable.lookup(trimmed)
        return Command(spec.name, try spec.parse(spec.name, rest))
    }
}

public struct CommandError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
