import Core

/// The Library as cmus's tree view: artists, their albums, each album's tracks, built from the
/// rows the list shows (so the filters and the search apply). Artists and albums open and
/// close; `rows` is the flattened part that is open, what is drawn and what the cursor moves over.
public struct LibraryTree: Equatable, Sendable {
    public enum Node: Hashable, Sendable {
        case artist(Int32)
        /// An artist's album, by its name ("" holds the artist's tracks that have none).
        case album(artist: Int32, name: String)
        case track(TrackID)
    }

    public struct Row: Equatable, Sendable {
        public var node: Node
        /// 0 artist, 1 album, 2 track.
        public var depth: Int
        /// Tracks under the row (1 for a track) and, for an artist, its albums.
        public var tracks: Int
        public var albums: Int
    }

    struct Album: Equatable, Sendable {
        var name: String
        var tracks: [TrackID]
    }

    struct Artist: Equatable, Sendable {
        var artist: Int32
        var albums: [Album]
        var trackCount: Int { albums.reduce(0) { $0 + $1.tracks.count } }
    }

    /// How an album with no name is shown.
    static let noAlbum = "(no album)"

    private(set) var artists: [Artist] = []
    public private(set) var open: Set<Node> = []
    public private(set) var rows: [Row] = []
    public var cursor = 0

    /// The catalog's order of artists and albums, worked out once (folding every name is the
    /// slow part), so that a tree over other tracks (each search keystroke) is only bucketing.
    final class Order: Sendable {
        /// Artist id → its place A–Z (case and accents aside, then id).
        let artistRank: [Int32]
        /// Track → its album among all (artist, album name) pairs, and that album's place among
        /// its artist's albums (A–Z, "(no album)" last).
        let albumOfTrack: [Int32]
        let albumRank: [Int32]
        let albumNames: [String]
        let artistOfTrack: [Int32]

        init(_ catalog: Catalog) {
            artistOfTrack = catalog.artistOfTrack
            let artistKeys = catalog.artistNames.map(SearchIndex.fold)
            var rank = [Int32](repeating: 0, count: catalog.artistNames.count)
            for (place, a) in artistKeys.indices.sorted(by: { artistKeys[$0] != artistKeys[$1] ? artistKeys[$0] < artistKeys[$1] : $0 < $1 }).enumerated() {
                rank[a] = Int32(place)
            }
            artistRank = rank
            var ids: [String: Int32] = [:], names: [String] = [], artists: [Int32] = []
            albumOfTrack = catalog.trackIDs.map { t in
                let key = String(catalog.artist(t)) + "\u{1}" + catalog.album(t)
                if let id = ids[key] { return id }
                let id = Int32(names.count)
                ids[key] = id
                names.append(catalog.album(t))
                artists.append(catalog.artist(t))
                return id
            }
            albumNames = names
            let keys = names.map { $0.isEmpty ? "\u{10FFFF}" : SearchIndex.fold($0) }
            var albumRank = [Int32](repeating: 0, count: names.count)
            let sorted = names.indices.sorted { x, y in
                artists[x] != artists[y] ? artists[x] < artists[y] : keys[x] != keys[y] ? keys[x] < keys[y] : names[x] < names[y]
            }
            for (place, album) in sorted.enumerated() { albumRank[album] = Int32(place) }
            self.albumRank = albumRank
        }
    }

    let order: Order

    public static func == (a: LibraryTree, b: LibraryTree) -> Bool {
        a.artists == b.artists && a.open == b.open && a.rows == b.rows && a.cursor == b.cursor
    }

    /// Artists A–Z and each one's albums A–Z (case and accents aside; "(no album)" last); an
    /// album's tracks keep the order of `tracks`, the Library's sort.
    init(order: Order, tracks: [TrackID], open: Set<Node> = [], cursorOn node: Node? = nil) {
        self.order = order
        var albumsOf: [Int32: [Int32: [TrackID]]] = [:]
        for t in tracks { albumsOf[order.artistRank[Int(order.artistOfTrack[Int(t)])], default: [:]][order.albumOfTrack[Int(t)], default: []].append(t) }
        artists = albumsOf.keys.sorted().map { rank in
            let albums = albumsOf[rank]!.sorted { order.albumRank[Int($0.key)] < order.albumRank[Int($1.key)] }
            return Artist(artist: order.artistOfTrack[Int(albums[0].value[0])],
                          albums: albums.map { Album(name: order.albumNames[Int($0.key)], tracks: $0.value) })
        }
        self.open = open
        flatten()
        if let node, let i = rows.firstIndex(where: { $0.node == node }) { cursor = i }
    }

    /// The same tree over other tracks (a filter or search changed): what was open stays open
    /// and the cursor stays on its node when that is still shown.
    func rebuilt(tracks: [TrackID]) -> LibraryTree {
        LibraryTree(order: order, tracks: tracks, open: open, cursorOn: selected?.node)
    }

    public var selected: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    public var selectedTrack: TrackID? {
        if case .track(let t)? = selected?.node { return t }
        return nil
    }

    /// Opens a closed artist or album, closes an open one; false on a track.
    @discardableResult
    mutating func toggle() -> Bool {
        guard let row = selected, row.depth < 2 else { return false }
        if open.remove(row.node) == nil { open.insert(row.node) }
        flatten()
        return true
    }

    /// → : opens the selected artist or album, or steps into it when it is open.
    mutating func expand() {
        guard let row = selected, row.depth < 2 else { return }
        if open.insert(row.node).inserted { flatten() } else if rows.indices.contains(cursor + 1) { cursor += 1 }
    }

    /// ← : closes the selected artist or album, or goes up to the row it sits under.
    mutating func collapse() {
        guard let row = selected else { return }
        if row.depth < 2, open.remove(row.node) != nil { return flatten() }
        if let parent = rows[..<cursor].lastIndex(where: { $0.depth < row.depth }) { cursor = parent }
    }

    private mutating func flatten() {
        let node = selected?.node
        rows = []
        for artist in artists {
            let a = Node.artist(artist.artist)
            rows.append(Row(node: a, depth: 0, tracks: artist.trackCount, albums: artist.albums.count))
            guard open.contains(a) else { continue }
            for album in artist.albums {
                let n = Node.album(artist: artist.artist, name: album.name)
                rows.append(Row(node: n, depth: 1, tracks: album.tracks.count, albums: 1))
                guard open.contains(n) else { continue }
                rows += album.tracks.map { Row(node: .track($0), depth: 2, tracks: 1, albums: 0) }
            }
        }
        if let node, let i = rows.firstIndex(of: node) { cursor = i }
        cursor = max(0, min(cursor, rows.count - 1))
    }
}

private extension Array where Element == LibraryTree.Row {
    func firstIndex(of node: LibraryTree.Node) -> Int? { firstIndex { $0.node == node } }
}
