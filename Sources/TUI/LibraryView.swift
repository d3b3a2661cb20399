import Core
import Terminal

/// Screen 1: the catalog as a table (or, with `tree`, as LibraryTreeView), with the search,
/// filters and sort in force on top.
enum LibraryView {
    struct Column {
        var title: String
        var width: Int
        var alignRight = false
        var value: (Catalog, TrackID) -> String
    }

    static func columns(width: Int) -> [Column] {
        let year = Column(title: "Year", width: 4, alignRight: true) { c, t in c.years[Int(t)] > 0 ? String(c.years[Int(t)]) : "" }
        let duration = Column(title: "Time", width: 5, alignRight: true) { c, t in c.duration(t) > 0 ? formatClock(Double(c.duration(t))) : "" }
        let fixed = 2 + year.width + duration.width
        func text(_ title: String, _ w: Int, _ value: @escaping (Catalog, TrackID) -> String) -> Column {
            Column(title: title, width: w, value: value)
        }
        let titleCol = { (w: Int) in text("Title", w) { c, t in c.title(t) } }
        let artistCol = { (w: Int) in text("Artist", w) { c, t in c.artistName(t) } }
        if width >= 64 {
            let free = width - fixed - 5
            let t = free * 34 / 100, a = free * 24 / 100, al = free * 24 / 100, g = free - t - a - al
            return [titleCol(t), artistCol(a), text("Album", al) { c, t in c.album(t) },
                    text("Genre", g) { c, t in c.mainGenreName(t) }, year, duration]
        }
        if width >= 52 {
            let free = width - fixed - 4
            let t = free * 45 / 100, a = free * 33 / 100, g = free - t - a
            return [titleCol(t), artistCol(a), text("Genre", g) { c, t in c.mainGenreName(t) }, year, duration]
        }
        let free = width - fixed - 3
        let t = free * 55 / 100
        return [titleCol(t), artistCol(free - t), year, duration]
    }

    /// The line above the list: search, filters and sort on the left, "row / rows" on the right
    /// (the selected row of those shown; the count always shows, the left part is cut first).
    static func drawHeader(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let lib = state.library
        var info: [String] = []
        if lib.tree != nil { info.append("tree") }
        if !lib.query.isEmpty || state.prompt.map({ if case .search = $0 { true } else { false } }) == true {
            info.append("search \"\(lib.query)\"")
        }
        info += lib.filters.descriptions(state.catalog)
        info.append("sort: \(LibraryOrder.describe(lib.sort, reversed: lib.reversed))")
        let (cursor, count) = lib.tree.map { ($0.cursor, $0.rows.count) } ?? (lib.cursor, lib.rows.count)
        let position = count == 0 ? "0 / 0" : "\(grouped(cursor + 1)) / \(grouped(count))"
        let cx = rect.width - DisplayWidth.of(position) - 1
        buffer.clipped(" " + info.joined(separator: " · "), x: rect.x, y: rect.y, style: state.theme.accent, width: max(0, cx - 1))
        if cx > 0 { buffer.write(position, x: cx, y: rect.y, style: state.theme.dim) }
    }

    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let lib = state.library
        let catalog = state.catalog
        drawHeader(state, in: rect, &buffer)
        if let tree = lib.tree { return LibraryTreeView.draw(tree, state, in: rect, &buffer) }

        let cols = columns(width: rect.width)
        var hx = 2
        for col in cols {
            buffer.write(DisplayWidth.fit(col.title, to: col.width, alignRight: col.alignRight), x: hx, y: rect.y + 1, style: state.theme.header)
            hx += col.width + 1
        }
        let visible = rect.height - 2
        guard !lib.rows.isEmpty else {
            buffer.write(emptyText(lib), x: 0, y: rect.y + 2, style: state.theme.dim)
            return
        }
        let top = scrollTop(cursor: lib.cursor, count: lib.rows.count, rows: visible)
        for row in 0..<min(visible, lib.rows.count - top) {
            let i = top + row
            let t = lib.rows[i]
            let y = rect.y + 2 + row
            let selected = i == lib.cursor
            let style = selected ? state.theme.selected : .plain
            if selected { buffer.fill(row: y, style: style) }
            if state.currentTrack == t { buffer.write(">", x: 0, y: y, style: selected ? style : state.theme.accent) }
            var cx = 2
            for col in cols {
                buffer.write(DisplayWidth.fit(col.value(catalog, t), to: col.width, alignRight: col.alignRight), x: cx, y: y, style: style)
                cx += col.width + 1
            }
        }
    }

    static func emptyText(_ lib: LibraryState) -> String {
        if !lib.query.isEmpty { return "  no track matches \"\(lib.query)\"" + (lib.filters.isEmpty ? "" : " with the filters") }
        return lib.filters.isEmpty ? "  no tracks" : "  no track matches the filters (c clears them)"
    }

    /// The row index drawn at screen line `y` (the list starts two lines below the body's top), for a click.
    static func row(atLine y: Int, _ state: AppState) -> Int? {
        let rect = AppView.body(state)
        let lib = state.library
        let (cursor, count) = lib.tree.map { ($0.cursor, $0.rows.count) } ?? (lib.cursor, lib.rows.count)
        let top = scrollTop(cursor: cursor, count: count, rows: rect.height - 2)
        let i = top + y - (rect.y + 2)
        return y >= rect.y + 2 && y < rect.y + rect.height && (0..<count).contains(i) ? i : nil
    }
}
