import Core
import Foundation
import Terminal

/// One command: its name, what it takes, what it does in words, its default keys, and what it
/// does to the state. Adding a command is adding one entry to `CommandTable.all`: `parse`,
/// `text`, the default keymap, `assets/config.toml`'s `[keys]` and the Help screen all read it.
struct CommandSpec: Sendable {
    let name: String
    var aliases: [String] = []
    /// How the argument is written ("[N]", "NAME"); empty when it takes none.
    var usage = ""
    let help: String
    /// Default bindings: key name (as in config.toml) and the argument text ("" for none).
    var keys: [(key: String, argument: String)] = []
    /// Reads the argument text (after the name, trimmed); the first parameter is the name, for messages.
    var parse: @Sendable (String, String) throws(CommandError) -> CommandArgument = Arguments.none
    /// What the argument may be, for Tab at the `:` prompt.
    var arguments: @Sendable (AppState) -> [String] = { _ in [] }
    let run: @Sendable (CommandArgument, inout AppState, inout [Effect]) -> Void
}

/// Argument readers shared by the entries.
enum Arguments {
    @Sendable static func none(_ name: String, _ arg: String) throws(CommandError) -> CommandArgument {
        guard arg.isEmpty else { throw CommandError("'\(name)' takes no argument, got '\(arg)'") }
        return .none
    }

    static func number(_ name: String, _ arg: String) throws(CommandError) -> Double {
        guard let v = Double(arg), v.isFinite else { throw CommandError("'\(name)' needs a number, got '\(arg)'") }
        return v
    }

    /// `up`/`down`: a count of rows, 1 when left out (huge counts are clamped, never trap).
    @Sendable static func count(_ name: String, _ arg: String) throws(CommandError) -> CommandArgument {
        arg.isEmpty ? .count(1) : .count(Int(min(max(1, try number(name, arg)), 1e9)))
    }

    @Sendable static func offset(_ name: String, _ arg: String) throws(CommandError) -> CommandArgument {
        .offset(try number(name, arg))
    }

    @Sendable static func text(_ name: String, _ arg: String) throws(CommandError) -> CommandArgument {
        if arg.isEmpty { throw CommandError("'\(name)' needs an argument") }
        return .text(arg)
    }

    @Sendable static func optionalText(_ name: String, _ arg: String) throws(CommandError) -> CommandArgument {
        arg.isEmpty ? .none : .text(arg)
    }
}

private func withCurrent(_ state: inout AppState, _ body: (inout AppState) -> Void) {
    guard state.session?.current != nil else { return note("nothing is playing", &state) }
    body(&state)
}

/// The row of `names` that `name` names, case and accents aside.
private func index(of name: String, in names: [String]) -> Int32? {
    let folded = SearchIndex.fold(name)
    return names.firstIndex { SearchIndex.fold($0) == folded }.map(Int32.init)
}

/// What plays after the current track changed: "up next" is drawn again behind the queue.
private func queueChanged(_ state: inout AppState, _ effects: inout [Effect]) {
    clampCursors(&state)
    refreshCandidates(&state, &effects)
}

private func moveQueued(by delta: Int, _ state: inout AppState, _ effects: inout [Effect]) {
    let i = state.queueCursor, j = state.queueCursor + delta
    guard state.screen == .nowPlaying, state.queue.indices.contains(i) else {
        return note("select a queued track on Now Playing (2) to move it", &state)
    }
    guard state.queue.indices.contains(j) else { return }
    state.queue.swapAt(i, j)
    state.queueCursor = j
    queueChanged(&state, &effects)
}

@Sendable private func strategyNames(_ state: AppState) -> [String] { state.strategies.strategies.map(\.name) }

enum CommandTable {
    /// Every command, in the order Help, the default keymap and config.toml list them.
    static let all: [CommandSpec] = [
        CommandSpec(name: "down", usage: "[N]", help: "move the selection down N rows (1)",
                    keys: [("j", ""), ("down", "")], parse: Arguments.count) { a, s, e in
            if case .count(let n) = a { move(by: n, &s, &e) }
        },
        CommandSpec(name: "up", usage: "[N]", help: "move the selection up N rows (1)",
                    keys: [("k", ""), ("up", "")], parse: Arguments.count) { a, s, e in
            if case .count(let n) = a { move(by: -n, &s, &e) }
        },
        CommandSpec(name: "top", help: "go to the first row", keys: [("g", ""), ("home", "")]) { _, s, e in
            move(by: Int.min / 2, &s, &e)
        },
        CommandSpec(name: "bottom", help: "go to the last row (History: the oldest session)", keys: [("G", ""), ("end", "")]) { _, s, e in
            if s.screen == .history { s.historyWantsOldest = s.history.count < s.historyTotal }
            move(by: Int.max / 2, &s, &e)
        },
        CommandSpec(name: "page-up", help: "one screenful up", keys: [("pgup", "")]) { _, s, e in move(by: -pageSize(s), &s, &e) },
        CommandSpec(name: "page-down", help: "one screenful down", keys: [("pgdn", "")]) { _, s, e in move(by: pageSize(s), &s, &e) },
        CommandSpec(name: "select", help: "Library: play the row (a new session; tree: open or close); Strategies: switch; "
                        + "Stats: baseline; History: its plays",
                    keys: [("enter", "")]) { _, s, e in select(&s, &e) },
        CommandSpec(name: "plays", help: "History: move into the selected session's plays (each one's reason in full) and back",
                    keys: [("tab", "")]) { _, s, _ in
            guard s.screen == .history else { return note("open History (5) to see a session's plays", &s) }
            toggleHistoryPlays(&s)
        },
        CommandSpec(name: "screen", usage: "NAME", help: "show a screen (library, now-playing, strategies, stats, history, help or 1-6)",
                    keys: [("1", "library"), ("2", "now-playing"), ("3", "strategies"), ("4", "stats"), ("5", "history"),
                           ("6", "help"), ("?", "help"), ("s", "strategies")],
                    parse: { name, arg throws(CommandError) in
                        guard !arg.isEmpty else { throw CommandError("'\(name)' needs an argument") }
                        guard let screen = Screen(argument: arg) else {
                            throw CommandError("unknown screen '\(arg)' (one of: \(Screen.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        return .screen(screen)
                    }, arguments: { _ in Screen.allCases.map(\.rawValue) }) { a, s, e in
            if case .screen(let screen) = a { show(screen, &s, &e) }
        },
        CommandSpec(name: "search", usage: "[TEXT]", help: "search the Library (no text: open the / prompt)", keys: [("/", "")],
                    parse: Arguments.optionalText) { a, s, _ in
            s.screen = .library
            if case .text(let q) = a { applySearch(q, &s) } else { s.prompt = .search(LineEdit(s.library.query)) }
        },
        CommandSpec(name: "prompt", help: "open the : prompt (Tab completes, ↑/↓ recall earlier lines)", keys: [(":", "")]) { _, s, _ in
            s.prompt = .command(LineEdit())
        },
        CommandSpec(name: "skip", aliases: ["next"], help: "skip the track: recorded as heard so far, the strategy picks the next",
                    keys: [("n", "")]) { _, s, e in
            withCurrent(&s) { s in
                finishCurrent(.skipped, &s, &e)
                advance(&s, &e)
            }
        },
        CommandSpec(name: "pause", help: "pause or resume", keys: [("space", "")]) { _, s, _ in withCurrent(&s) { $0.paused.toggle() } },
        CommandSpec(name: "seek", usage: "±SECONDS", help: "move within the track", keys: [("right", "+10"), ("left", "-10")],
                    parse: Arguments.offset) { a, s, _ in
            guard case .offset(let seconds) = a else { return }
            withCurrent(&s) { s in seek(to: s.session!.current!.position + seconds, &s) }
        },
        CommandSpec(name: "seek to", usage: "PERCENT", help: "move to that point of the track (a click on a progress bar does it)",
                    parse: { name, arg throws(CommandError) in
                        let digits = arg.hasSuffix("%") ? String(arg.dropLast()) : arg
                        guard let v = Double(digits), v.isFinite, (0...100).contains(v) else {
                            throw CommandError("'\(name)' needs a percentage 0-100, got '\(arg)'")
                        }
                        return .number(v)
                    }) { a, s, _ in
            guard case .number(let percent) = a else { return }
            withCurrent(&s) { s in seek(to: s.session!.current!.duration * percent / 100, &s) }
        },
        CommandSpec(name: "speed", usage: "N|+|-|*F", help: "set the speed to ×N (1 is normal); + doubles, - halves, *F multiplies",
                    keys: [("+", "+"), ("-", "-")],
                    parse: { name, arg throws(CommandError) in
                        switch arg {
                        case "+", "up": return .factor(2)
                        case "-", "down": return .factor(0.5)
                        default:
                            let by = arg.hasPrefix("*")
                            guard let v = Double(by ? String(arg.dropFirst()) : arg), v.isFinite else {
                                throw CommandError("'\(name)' needs a number, +, - or *FACTOR, got '\(arg)'")
                            }
                            guard v > 0 else { throw CommandError("speed must be positive, got '\(arg)'") }
                            return by ? .factor(v) : .number(v)
                        }
                    }) { a, s, _ in
            switch a {
            case .number(let multiple): setSpeed(defaultPlaybackSpeed * multiple, &s)
            case .factor(let factor): setSpeed(s.speed * factor, &s)
            default: break
            }
        },
        CommandSpec(name: "like", help: "like or unlike the track (recorded with the play)", keys: [("l", "")]) { _, s, _ in
            withCurrent(&s) { s in
                let track = s.currentTrack!
                if s.session!.liked.remove(track) == nil {
                    s.session!.liked.insert(track)
                    note("liked \(s.catalog.title(track))", &s)
                } else {
                    note("unliked \(s.catalog.title(track))", &s)
                }
            }
        },
        CommandSpec(name: "stop", help: "end the session (the track is recorded as abandoned)", keys: [("x", "")]) { _, s, e in
            withCurrent(&s) { s in
                endSession(abandoning: true, &s, &e)
                // Like a listener leaving: in bot mode the bot comes back with its next session.
                e.append(.sessionFinished)
            }
        },
        CommandSpec(name: "filter genre", usage: "[NAME]", help: "show one genre (no name: the selected track's)", keys: [("f", "")],
                    parse: Arguments.optionalText, arguments: { $0.catalog.genreNames }) { a, s, _ in
            if case .text(let name) = a {
                guard let g = index(of: name, in: s.catalog.genreNames) else { return fail("no genre '\(name)' in the catalog", &s) }
                setFilters({ $0.genre = g }, &s)
            } else if let t = selectedTrack(s), let g = s.catalog.genres(t).first {
                setFilters({ $0.genre = g }, &s)
            }
        },
        CommandSpec(name: "filter subgenre", usage: "[NAME]", help: "show one subgenre (no name: the selected track's)",
                    parse: Arguments.optionalText, arguments: { $0.catalog.subgenreNames }) { a, s, _ in
            guard !s.catalog.subgenreNames.isEmpty else { return fail("this catalog has no subgenres", &s) }
            if case .text(let name) = a {
                guard let g = index(of: name, in: s.catalog.subgenreNames) else { return fail("no subgenre '\(name)' in the catalog", &s) }
                setFilters({ $0.subgenre = g }, &s)
            } else if let t = selectedTrack(s), let g = s.catalog.subgenres(t).first {
                setFilters({ $0.subgenre = g }, &s)
            }
        },
        CommandSpec(name: "filter artist", usage: "[NAME]", help: "show one artist (no name: the selected track's)", keys: [("a", "")],
                    parse: Arguments.optionalText, arguments: { $0.catalog.artistNames }) { a, s, _ in
            if case .text(let name) = a {
                guard let artist = index(of: name, in: s.catalog.artistNames) else { return fail("no artist '\(name)' in the catalog", &s) }
                setFilters({ $0.artist = artist }, &s)
            } else if let t = selectedTrack(s) {
                let artist = s.catalog.artist(t)
                setFilters({ $0.artist = artist }, &s)
            }
        },
        CommandSpec(name: "filter year", usage: "[FROM-TO]", help: "show the years FROM to TO, or one year (no years: the selected track's)",
                    parse: { name, arg throws(CommandError) in arg.isEmpty ? .none : .years(try YearRange.parse(name, arg)) }) { a, s, _ in
            if case .years(let range) = a { return setFilters({ $0.years = range }, &s) }
            guard let t = selectedTrack(s) else { return }
            let year = s.catalog.years[Int(t)]
            guard year > 0 else { return fail("the selected track has no year", &s) }
            setFilters({ $0.years = year...year }, &s)
        },
        CommandSpec(name: "filter clear", usage: "[KIND]", help: "drop every filter, or one kind (genre, subgenre, artist, year)", keys: [("c", "")],
                    parse: { _, arg throws(CommandError) in
                        guard arg.isEmpty || LibraryFilters.kinds.contains(arg.lowercased()) else {
                            throw CommandError("unknown filter '\(arg)' (one of: \(LibraryFilters.kinds.joined(separator: ", ")))")
                        }
                        return arg.isEmpty ? .none : .text(arg.lowercased())
                    }, arguments: { _ in LibraryFilters.kinds }) { a, s, _ in
            guard case .text(let kind) = a else { return setFilters({ $0 = LibraryFilters() }, &s) }
            setFilters({ $0.clear(kind) }, &s)
        },
        CommandSpec(name: "sort", usage: "[KEY] [asc|desc]",
                    help: "sort the Library by \(SortKey.allCases.map(\.rawValue).joined(separator: ", ")) (no key: the next); "
                        + "asc or desc sets the direction, reverse turns it around",
                    keys: [("o", ""), ("O", "reverse")],
                    parse: { _, arg throws(CommandError) in
                        let words = arg.lowercased().split(separator: " ").map(String.init)
                        let keys = SortKey.allCases.map(\.rawValue).joined(separator: ", ")
                        func key(_ word: String) throws(CommandError) -> SortKey {
                            guard let k = SortKey(rawValue: word) else {
                                throw CommandError("unknown sort key '\(word)' (one of: \(keys); then asc, desc or reverse)")
                            }
                            return k
                        }
                        func direction(_ word: String) throws(CommandError) -> SortDirection {
                            guard let d = SortDirection(rawValue: word) else {
                                throw CommandError("unknown sort direction '\(word)' (one of: asc, desc, reverse)")
                            }
                            return d
                        }
                        switch words.count {
                        case 0: return .none
                        case 1:
                            if let d = SortDirection(rawValue: words[0]) { return .sorting(nil, d) }
                            return .sort(try key(words[0]))
                        case 2: return .sorting(try key(words[0]), try direction(words[1]))
                        default: throw CommandError("'sort' takes a key and a direction, got '\(arg)'")
                        }
                    }, arguments: { _ in SortKey.allCases.map(\.rawValue) + SortDirection.allCases.map(\.rawValue) }) { a, s, _ in
            switch a {
            case .sort(let key): setSort(key, &s)
            case .sorting(let key, let direction):
                let k = key ?? s.library.sort
                let reversed = direction == .reverse
                    ? (key == nil ? !s.library.reversed : true) : LibraryOrder.reversed(k, toRun: direction)
                setSort(k, reversed: reversed, &s)
            default:
                let all = SortKey.allCases
                setSort(all[(all.firstIndex(of: s.library.sort)! + 1) % all.count], &s)
            }
        },
        CommandSpec(name: "tree", help: "Library as artists → albums → tracks (again: the list); "
                        + "Enter or space opens and closes, → and ← too, Enter on a track plays it",
                    keys: [("t", "")]) { _, s, _ in toggleTree(&s) },
        CommandSpec(name: "expand", help: "Library tree: open the selected artist or album, or step into it (→)") { _, s, _ in
            guard s.screen == .library, s.library.tree != nil else { return note("open the Library tree (t) first", &s) }
            s.library.tree!.expand()
        },
        CommandSpec(name: "collapse", help: "Library tree: close the selected artist or album, or go up to it (←)") { _, s, _ in
            guard s.screen == .library, s.library.tree != nil else { return note("open the Library tree (t) first", &s) }
            s.library.tree!.collapse()
        },
        CommandSpec(name: "strategy", usage: "NAME", help: "switch strategy (from the next track when one is playing)",
                    parse: Arguments.text, arguments: strategyNames) { a, s, e in
            if case .text(let name) = a { switchStrategy(to: name, &s, &e) }
        },
        CommandSpec(name: "retrain", usage: "[NAME]", help: "retrain a strategy's model in the background (no name: the selected one)",
                    keys: [("r", "")], parse: Arguments.optionalText, arguments: strategyNames) { a, s, e in
            if case .text(let name) = a { return retrain(name, &s, &e) }
            let list = s.strategies.strategies
            guard s.screen == .strategies, list.indices.contains(s.strategyCursor) else {
                return note("open Strategies (3) and pick one to retrain", &s)
            }
            retrain(list[s.strategyCursor].name, &s, &e)
        },
        CommandSpec(name: "source", help: "Stats: cycle the listener source (all, human, bot, sim, remote)", keys: [("S", "")]) { _, s, e in
            let order: [ListenerSource?] = [nil] + ListenerSource.allCases
            s.statsSource = order[(order.firstIndex(of: s.statsSource)! + 1) % order.count]
            s.screen = .stats
            s.statsView = .sessions
            e.append(.loadStats(s.statsSource, baseline: s.statsBaseline))
        },
        CommandSpec(name: "long-term", help: "Stats: the stored multi-day runs (retention and coverage per arm over days; "
                        + "j/k pick a run) or back to the sessions",
                    keys: [("L", "")]) { _, s, e in
            s.statsView = s.screen == .stats && s.statsView == .longTerm ? .sessions : .longTerm
            s.screen = .stats
            loadStatsView(s, &e)
        },
        CommandSpec(name: "queue add", help: "Library: queue the selected track (queued tracks play next, as your own choice)",
                    keys: [("e", "")]) { _, s, e in
            guard s.screen == .library, let t = selectedTrack(s) else { return note("pick a track in the Library (1) to queue it", &s) }
            s.queue.append(t)
            note("queued \(s.catalog.title(t)) (\(s.queue.count) in the queue)", &s)
            queueChanged(&s, &e)
        },
        CommandSpec(name: "queue remove", help: "Now Playing: take the selected track out of the queue", keys: [("d", "")]) { _, s, e in
            guard s.screen == .nowPlaying, s.queue.indices.contains(s.queueCursor) else {
                return note("select a queued track on Now Playing (2) to remove it", &s)
            }
            let t = s.queue.remove(at: s.queueCursor)
            note("unqueued \(s.catalog.title(t))", &s)
            queueChanged(&s, &e)
        },
        CommandSpec(name: "queue raise", help: "Now Playing: move the selected queued track earlier", keys: [("K", "")]) { _, s, e in
            moveQueued(by: -1, &s, &e)
        },
        CommandSpec(name: "queue lower", help: "Now Playing: move the selected queued track later", keys: [("J", "")]) { _, s, e in
            moveQueued(by: 1, &s, &e)
        },
        CommandSpec(name: "queue clear", help: "empty the queue") { _, s, e in
            s.queue.removeAll()
            note("the queue is empty", &s)
            queueChanged(&s, &e)
        },
        CommandSpec(name: "theme", usage: "[NAME]", help: "switch colours to a preset (\(Theme.presets.map(\.preset).joined(separator: ", "))); no name: say which",
                    parse: Arguments.optionalText, arguments: { _ in Theme.presets.map(\.preset) }) { a, s, _ in
            let names = Theme.presets.map(\.preset).joined(separator: ", ")
            guard case .text(let name) = a else { return note("theme: \(s.theme.preset) (presets: \(names))", &s) }
            guard let theme = Theme.preset(named: name) else { return fail("unknown theme '\(name)' (one of: \(names))", &s) }
            s.theme = theme
            note("theme: \(theme.preset)", &s)
        },
        CommandSpec(name: "wait", usage: "SECONDS", help: "scripts: run the next line after this many seconds",
                    parse: { name, arg throws(CommandError) in
                        let v = try Arguments.number(name, arg)
                        guard v >= 0 else { throw CommandError("wait needs seconds ≥ 0, got '\(arg)'") }
                        return .number(v)
                    }) { a, s, _ in
            if case .number(let seconds) = a { s.waitUntil = s.now + seconds }
        },
        CommandSpec(name: "quit", aliases: ["q"], help: "end the session (abandoned) and leave", keys: [("q", "")]) { _, s, e in
            if s.session?.current != nil { endSession(abandoning: true, &s, &e) }
            s.quitting = true
            e.append(.quit)
        },
        CommandSpec(name: "help", usage: "[COMMAND]", help: "open Help, or say what COMMAND does and its keys",
                    parse: Arguments.optionalText, arguments: { _ in CommandTable.all.map(\.name) }) { a, s, e in
            guard case .text(let name) = a else { return show(.help, &s, &e) }
            guard let (spec, _) = try? CommandTable.lookup(name) else { return fail("unknown command '\(name)' (:help lists them)", &s) }
            let form = spec.usage.isEmpty ? spec.name : spec.name + " " + spec.usage
            let keys = s.keymap.listed.filter { $0.command.name == spec.name }
                .map { $0.command.argument == .none ? $0.key.name : "\($0.key.name) (\($0.command.text))" }
            note("\(form): \(spec.help)" + (keys.isEmpty ? "" : "; keys: " + keys.joined(separator: ", ")), &s)
        },
    ]

    private static let byName: [String: CommandSpec] = {
        var table: [String: CommandSpec] = [:]
        for spec in all {
            for name in [spec.name] + spec.aliases {
                precondition(table[name] == nil, "two commands are called '\(name)'")
                table[name] = spec
            }
        }
        return table
    }()

    static func spec(named name: String) -> CommandSpec? { byName[name] }

    /// The entry `text` starts with (two-word names first) and the argument text after it.
    static func lookup(_ text: String) throws(CommandError) -> (CommandSpec, String) {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let verb = words[0].lowercased()
        if words.count > 1, let spec = byName[verb + " " + words[1].lowercased()] {
            return (spec, rest(of: text, after: 2))
        }
        if let spec = byName[verb] { return (spec, rest(of: text, after: 1)) }
        let family = all.filter { $0.name.hasPrefix(verb + " ") }
        guard !family.isEmpty else { throw CommandError("unknown command '\(verb)'") }
        let forms = family.map { "'" + ($0.usage.isEmpty ? $0.name : $0.name + " " + $0.usage) + "'" }
        throw CommandError("use " + forms.dropLast().joined(separator: ", ") + " or " + forms.last!)
    }

    /// `text` without its first `n` words, trimmed (inner spacing kept: "Café Tacvba").
    private static func rest(of text: String, after n: Int) -> String {
        var s = Substring(text)
        for _ in 0..<n {
            s = s.drop { $0 == " " || $0 == "\t" }
            s = s.drop { $0 != " " && $0 != "\t" }
        }
        return String(s).trimmingCharacters(in: " \t")
    }

    /// The default bindings, in table order.
    static let defaultBindings: [(key: Key, command: Command)] = all.flatMap { spec in
        spec.keys.map { binding in
            guard let key = Key(name: binding.key), let argument = try? spec.parse(spec.name, binding.argument) else {
                preconditionFailure("CommandTable: '\(spec.name)' has a bad default key '\(binding.key)' = '\(binding.argument)'")
            }
            return (key, Command(spec.name, argument))
        }
    }

    /// The `[keys]` lines of config.toml, from the defaults.
    static var configKeysTOML: String {
        defaultBindings.map { "\"\($0.key.name)\" = \"\($0.command.text)\"" }.joined(separator: "\n")
    }

    /// Help's list of commands: the form, then what it does, wrapped to the width of the rest
    /// of the help text (58 columns) under a 20-column form column.
    static var helpLines: [String] {
        all.flatMap { spec -> [String] in
            let form = (spec.usage.isEmpty ? spec.name : spec.name + " " + spec.usage)
                + (spec.aliases.isEmpty ? "" : " (" + spec.aliases.joined(separator: ", ") + ")")
            var lines: [String] = []
            var line = "  " + form
            if form.count > 17 {
                lines.append(line)
                line = ""
            }
            line = line.padding(toLength: 20, withPad: " ", startingAt: 0)
            var empty = true
            for word in spec.help.split(separator: " ") {
                if !empty && line.count + 1 + word.count > 58 {
                    lines.append(line)
                    line = String(repeating: " ", count: 20)
                    empty = true
                }
                line += (empty ? "" : " ") + word
                empty = false
            }
            return lines + [line]
        }
    }
}
