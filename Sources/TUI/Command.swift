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

/// Everything a person (a key, the `:` prompt), a config file or a script can ask for. Keys are
/// bound to commands, never to code, so all four speak the same language (the cmus model).
public enum Command: Equatable, Sendable {
    case up(Int), down(Int), top, bottom, pageUp, pageDown
    /// Enter: start a session from the library row, switch to the selected strategy, open a session.
    case select
    case screen(Screen)
    case skip
    case pause
    case seek(Double)
    /// Set the playback speed, as a multiple of the normal speed (`speed 1` is normal, `speed 2`
    /// twice as fast).
    case speed(Double)
    /// Multiply the playback speed (`speed +` doubles it, `speed -` halves it, `speed *1.5`).
    case speedBy(Double)
    case like
    case stop
    /// `/`: open the search prompt. `search TEXT` searches directly.
    case searchPrompt
    case search(String)
    case filterGenre(String)
    case filterArtist(String)
    /// Filter the library by the genre / artist of the selected row.
    case filterGenreOfSelection, filterArtistOfSelection
    case clearFilter
    case sort(SortKey)
    case cycleSort
    case strategy(String)
    case retrain(String)
    case retrainSelected
    case cycleSource
    case commandPrompt
    /// Run the script's next line after this many seconds (script files only).
    case wait(Double)
    case quit

    /// Parses the text typed at `:`, written in config.toml or in a script.
    public static func parse(_ text: String) throws(CommandError) -> Command {
        let trimmed = text.trimmingCharacters(in: " \t")
        let parts = trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = parts.first?.lowercased() else { throw CommandError("empty command") }
        let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: " \t") : ""
        func number() throws(CommandError) -> Double {
            guard let v = Double(arg), v.isFinite else { throw CommandError("'\(verb)' needs a number, got '\(arg)'") }
            return v
        }
        func needArg() throws(CommandError) -> String {
            if arg.isEmpty { throw CommandError("'\(verb)' needs an argument") }
            return arg
        }
        switch verb {
        case "up": return .up(arg.isEmpty ? 1 : max(1, Int(try number())))
        case "down": return .down(arg.isEmpty ? 1 : max(1, Int(try number())))
        case "top": return .top
        case "bottom": return .bottom
        case "page-up": return .pageUp
        case "page-down": return .pageDown
        case "select": return .select
        case "screen":
            guard let s = Screen(argument: try needArg()) else {
                throw CommandError("unknown screen '\(arg)' (one of: \(Screen.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .screen(s)
        case "skip", "next": return .skip
        case "pause": return .pause
        case "seek": return .seek(try number())
        case "speed":
            switch arg {
            case "+", "up": return .speedBy(2)
            case "-", "down": return .speedBy(0.5)
            default:
                let by = arg.hasPrefix("*")
                guard let v = Double(by ? String(arg.dropFirst()) : arg), v.isFinite else {
                    throw CommandError("'speed' needs a number, +, - or *FACTOR, got '\(arg)'")
                }
                guard v > 0 else { throw CommandError("speed must be positive, got '\(arg)'") }
                return by ? .speedBy(v) : .speed(v)
            }
        case "like": return .like
        case "stop": return .stop
        case "search": return arg.isEmpty ? .searchPrompt : .search(arg)
        case "filter":
            let fp = arg.split(separator: " ", maxSplits: 1).map(String.init)
            switch (fp.first?.lowercased(), fp.count) {
            case ("genre", 2): return .filterGenre(fp[1])
            case ("artist", 2): return .filterArtist(fp[1])
            case ("genre", 1): return .filterGenreOfSelection
            case ("artist", 1): return .filterArtistOfSelection
            case ("clear", 1): return .clearFilter
            default: throw CommandError("use 'filter genre [NAME]', 'filter artist [NAME]' or 'filter clear'")
            }
        case "sort":
            if arg.isEmpty { return .cycleSort }
            guard let k = SortKey(rawValue: arg.lowercased()) else {
                throw CommandError("unknown sort key '\(arg)' (one of: \(SortKey.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .sort(k)
        case "strategy": return .strategy(try needArg())
        case "retrain": return arg.isEmpty ? .retrainSelected : .retrain(arg)
        case "source": return .cycleSource
        case "prompt": return .commandPrompt
        case "wait":
            let v = try number()
            guard v >= 0 else { throw CommandError("wait needs seconds ≥ 0, got '\(arg)'") }
            return .wait(v)
        case "quit", "q": return .quit
        default: throw CommandError("unknown command '\(verb)'")
        }
    }

    /// The text form, which `parse` reads back (shown in Help next to each key).
    public var text: String {
        switch self {
        case .up(let n): n == 1 ? "up" : "up \(n)"
        case .down(let n): n == 1 ? "down" : "down \(n)"
        case .top: "top"
        case .bottom: "bottom"
        case .pageUp: "page-up"
        case .pageDown: "page-down"
        case .select: "select"
        case .screen(let s): "screen \(s.rawValue)"
        case .skip: "skip"
        case .pause: "pause"
        case .seek(let s): "seek \(Self.number(s, signed: true))"
        case .speed(let v): "speed \(Self.number(v, signed: false))"
        case .speedBy(let f): f == 2 ? "speed +" : f == 0.5 ? "speed -" : "speed *\(Self.number(f, signed: false))"
        case .like: "like"
        case .stop: "stop"
        case .searchPrompt: "search"
        case .search(let q): "search \(q)"
        case .filterGenre(let g): "filter genre \(g)"
        case .filterArtist(let a): "filter artist \(a)"
        case .filterGenreOfSelection: "filter genre"
        case .filterArtistOfSelection: "filter artist"
        case .clearFilter: "filter clear"
        case .sort(let k): "sort \(k.rawValue)"
        case .cycleSort: "sort"
        case .strategy(let s): "strategy \(s)"
        case .retrain(let s): "retrain \(s)"
        case .retrainSelected: "retrain"
        case .cycleSource: "source"
        case .commandPrompt: "prompt"
        case .wait(let s): "wait \(Self.number(s, signed: false))"
        case .quit: "quit"
        }
    }

    private static func number(_ v: Double, signed: Bool) -> String {
        let body = v == v.rounded() ? String(Int(v)) : String(v)
        return signed && v >= 0 ? "+" + body : body
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
