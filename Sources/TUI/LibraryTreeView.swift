import Core
import Terminal

/// The Library's tree view (`t`, cmus's): artists, their albums when open, an album's tracks
/// when open, indented, with counts on the right and a track's year and length.
enum LibraryTreeView {
    static func draw(_ tree: LibraryTree, _ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let catalog = state.catalog
        let wide = rect.width >= 60
        let rightWidth = wide ? 19 : 10
        buffer.write("  Artist / Album / Track", x: 0, y: rect.y + 1, style: state.theme.header)
        buffer.write(DisplayWidth.fit(wide ? "Year  Time" : "Time", to: rightWidth, alignRight: true),
                     x: rect.width - rightWidth - 1, y: rect.y + 1, style: state.theme.header)
        guard !tree.rows.isEmpty else {
            buffer.write(LibraryView.emptyText(state.library), x: 0, y: rect.y + 2, style: state.theme.dim)
            return
        }
        let visible = rect.height - 2
        let top = scrollTop(cursor: tree.cursor, count: tree.rows.count, rows: visible)
        for (line, i) in (top..<min(tree.rows.count, top + visible)).enumerated() {
            let row = tree.rows[i]
            let y = rect.y + 2 + line
            let selected = i == tree.cursor
            let style = selected ? state.theme.selected : .plain
            if selected { buffer.fill(row: y, style: style) }
            let name: String, right: String
            switch row.node {
            case .artist(let a):
                name = (tree.open.contains(row.node) ? "▾ " : "▸ ") + catalog.artistNames[Int(a)]
                right = wide ? "\(count(row.albums, "album")) · \(count(row.tracks, "track"))" : count(row.tracks, "track")
            case .album(_, let album):
                name = "  " + (tree.open.contains(row.node) ? "▾ " : "▸ ") + (album.isEmpty ? LibraryTree.noAlbum : album)
                right = count(row.tracks, "track")
            case .track(let t):
                if state.currentTrack == t { buffer.write(">", x: 0, y: y, style: selected ? style : state.theme.accent) }
                name = "      " + catalog.title(t)
                let year = catalog.years[Int(t)] > 0 ? String(catalog.years[Int(t)]) : ""
                let time = catalog.duration(t) > 0 ? formatClock(Double(catalog.duration(t))) : ""
                right = wide ? DisplayWidth.fit(year, to: 4, alignRight: true) + " " + DisplayWidth.fit(time, to: 5, alignRight: true) : time
            }
            let rx = rect.width - rightWidth - 1
            buffer.clipped(name, x: 2, y: y, style: style, width: rx - 3)
            buffer.write(DisplayWidth.fit(right, to: rightWidth, alignRight: true), x: rx, y: y, style: row.depth < 2 && !selected ? state.theme.dim : style)
        }
    }

    /// "1 track", "3 albums".
    private static func count(_ n: Int, _ noun: String) -> String { "\(grouped(n)) \(noun)\(n == 1 ? "" : "s")" }
}
