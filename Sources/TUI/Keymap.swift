import Terminal

/// Key → command. Defaults follow terminal music players (vim keys, arrows, number keys for
/// screens); `config.toml`'s `[keys]` table overrides single entries.
public struct Keymap: Equatable, Sendable {
    public private(set) var bindings: [Key: Command]

    public init(bindings: [Key: Command]) { self.bindings = bindings }

    public subscript(key: Key) -> Command? {
        get { bindings[key] }
        set { bindings[key] = newValue }
    }

    /// Bindings in the order Help lists them: by the order of `defaultOrder`, then the rest by name.
    public var listed: [(key: Key, command: Command)] {
        let order = Keymap.defaultPairs.map(\.0)
        return bindings.map { ($0.key, $0.value) }.sorted { a, b in
            let ia = order.firstIndex(of: a.key) ?? Int.max, ib = order.firstIndex(of: b.key) ?? Int.max
            return ia != ib ? ia < ib : a.key.name < b.key.name
        }
    }

    static let defaultPairs: [(Key, Command)] = [
        (.char("j"), .down(1)), (.down, .down(1)), (.char("k"), .up(1)), (.up, .up(1)),
        (.char("g"), .top), (.home, .top), (.char("G"), .bottom), (.end, .bottom),
        (.pageUp, .pageUp), (.pageDown, .pageDown), (.enter, .select),
        (.char("1"), .screen(.library)), (.char("2"), .screen(.nowPlaying)), (.char("3"), .screen(.strategies)),
        (.char("4"), .screen(.stats)), (.char("5"), .screen(.history)), (.char("6"), .screen(.help)),
        (.char("?"), .screen(.help)), (.char("s"), .screen(.strategies)),
        (.char("/"), .searchPrompt), (.char(":"), .commandPrompt),
        (.char("n"), .skip), (.char(" "), .pause), (.right, .seek(10)), (.left, .seek(-10)),
        (.char("+"), .speedBy(2)), (.char("-"), .speedBy(0.5)), (.char("l"), .like), (.char("x"), .stop),
        (.char("f"), .filterGenreOfSelection), (.char("a"), .filterArtistOfSelection), (.char("c"), .clearFilter),
        (.char("o"), .cycleSort), (.char("r"), .retrainSelected), (.char("S"), .cycleSource),
        (.char("q"), .quit),
    ]

    public static let defaults = Keymap(bindings: Dictionary(defaultPairs, uniquingKeysWith: { a, _ in a }))
}
