/// File formats a catalog can be read from.
public enum CatalogFormat: String, CaseIterable, Sendable {
    /// Comma-separated with a header: the shipped layout, or any layout with a column map.
    case csv
    /// The botify course's JSON lines (`track`, `artist`, `title`, ...).
    case jsonl
    /// botify's binary columnar catalog (`.botcat`), see `BinaryCatalog`.
    case botcat

    /// Accepts `course` as the name users know the JSON lines format by.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "csv": self = .csv
        case "jsonl", "json", "course", "ndjson": self = .jsonl
        case "botcat", "binary": self = .botcat
        default: return nil
        }
    }
}

/// How a file's track ids became the catalog's dense `TrackID`s.
public enum TrackIDMapping: String, Sendable {
    /// The file has no id column: tracks are numbered in file order (binary catalogs are always so).
    case fileOrder = "no ids in the file; numbered in file order"
    /// The ids were 0..n-1 in file order.
    case identity = "ids are 0..n-1 in file order"
    /// The ids were dense 0..n-1 but out of order: each track was placed at its id.
    case reordered = "ids are dense 0..n-1 out of order; each track placed at its id"
    /// The ids were unique but not 0..n-1: renumbered densely in ascending id order.
    case remapped = "ids are not dense 0..n-1; renumbered 0..n-1 in ascending id order"
}

/// A second row with an (artist, title) pair already seen: kept as its own track, reported.
public struct DuplicateTrack: Sendable, Equatable {
    /// Line in a text file; row number (from 1) in a binary catalog.
    public var line: Int
    public var firstLine: Int
    public var artist: String
    public var title: String
}

/// What an import found, for `botify catalog import` and for tests.
public struct CatalogImportReport: Sendable {
    public var file: String
    public var format: CatalogFormat
    /// Data rows read (lines for JSON lines, records for CSV).
    public var rows: Int
    public var idMapping: TrackIDMapping
    public var duplicates: [DuplicateTrack]
    /// Optional fields and the number of rows that left them empty (or had no such column).
    public var missing: [(field: String, rows: Int)]
}

public struct CatalogImport: Sendable {
    public var catalog: Catalog
    public var report: CatalogImportReport
}

/// Shared bookkeeping of the text importers: id validation and duplicate (artist, title) pairs.
struct ImportBookkeeping {
    let file: String
    private var ids: [Int] = []
    private var idLines: [Int] = []
    private var pairs = ByteInterner()
    private var pairFirstLines: [Int] = []
    private var pairKey: [UInt8] = []
    private(set) var duplicates: [DuplicateTrack] = []

    init(file: String) { self.file = file }

    mutating func noteID(_ id: Int, line: Int) {
        ids.append(id)
        idLines.append(line)
    }

    mutating func notePair(artist: Int32, artistName: @autoclosure () -> String, title: String, line: Int) {
        pairKey.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: artist.littleEndian) { pairKey.append(contentsOf: $0) }
        var t = title
        t.withUTF8 { pairKey.append(contentsOf: $0) }
        let (id, inserted) = pairKey.withUnsafeBytes { pairs.intern($0) }
        if inserted {
            pairFirstLines.append(line)
        } else {
            duplicates.append(DuplicateTrack(line: line, firstLine: pairFirstLines[Int(id)], artist: artistName(), title: title))
        }
    }

    /// Validates the ids noted (one per row, or none) and returns where each row goes.
    func trackOrder(rows: Int, field: String) throws -> (TrackIDMapping, [Int32]?) {
        guard !ids.isEmpty else { return (.fileOrder, nil) }
        precondition(ids.count == rows)
        if ids.enumerated().allSatisfy({ $0.offset == $0.element }) { return (.identity, nil) }
        var seenAt = [Int: Int](minimumCapacity: rows)
        var dense = true
        for (row, id) in ids.enumerated() {
            if let first = seenAt[id] {
                throw InputError(file: file, line: idLines[row], field: field, value: String(id),
                                 "duplicate track id (first used on line \(idLines[first]))")
            }
            seenAt[id] = row
            if id < 0 || id >= rows { dense = false }
        }
        if dense { return (.reordered, ids.map { Int32($0) }) }
        var order = [Int32](repeating: 0, count: rows)
        for (rank, row) in ids.indices.sorted(by: { ids[$0] < ids[$1] }).enumerated() { order[row] = Int32(rank) }
        return (.remapped, order)
    }
}
