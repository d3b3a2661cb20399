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

    /// Bindings in the order Help lists them: the default keys in `CommandTable` order, then the rest by name.
    public var listed: [(key: Key, command: Command)] {
        let order = CommandTable.defaultBindings.map(\.key)
        return bindings.map { ($0.key, $0.value) }.sorted { a, b in
            let ia = order.firstIndex(of: a.key) ?? Int.max, ib = order.firstIndex(of: b.key) ?? Int.max
            return ia != ib ? ia < ib : a.key.name < b.key.name
        }
    }

    /// The bindings `CommandTable` gives its commands.
    public static let defaults = Keymap(bindings: Dictionary(CommandTable.defaultBindings.map { ($0.key, $0.command) },
                                                             uniquingKeysWith: { a, _ in a }))
}
