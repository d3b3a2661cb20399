import Foundation

/// Loads a catalog from any importable file, choosing the reader by `format`, else by
/// extension, else by content (a first `{` means JSON lines). Nothing is half-loaded: any
/// bad row throws an `InputError` and no catalog is returned.
public enum CatalogLoader {
    public static func load(path: String, format: CatalogFormat? = nil, map: CSVColumnMap = CSVColumnMap()) throws -> Catalog {
        try read(path: path, format: format, map: map, report: false).catalog
    }

    /// As `load`, with the import report (for binary catalogs this adds a duplicate scan).
    public static func importFile(path: String, format: CatalogFormat? = nil, map: CSVColumnMap = CSVColumnMap()) throws -> CatalogImport {
        try read(path: path, format: format, map: map, report: true)
    }

    private static func read(path: String, format: CatalogFormat?, map: CSVColumnMap, report: Bool) throws -> CatalogImport {
        let data = try readFile(path)
        return try data.withUnsafeBytes { raw -> CatalogImport in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard !bytes.isEmpty else { throw InputError(file: path, "empty file: no header, no tracks") }
            let chosen = try format ?? detect(path: path, bytes: bytes)
            if chosen != .csv && !map.columns.isEmpty {
                throw InputError(file: path, field: "--map", "a column map applies to CSV files only")
            }
            switch chosen {
            case .csv: return try CSVCatalogImporter.read(bytes: bytes, file: path, map: map)
            case .jsonl: return try CourseCatalogImporter.read(bytes: bytes, file: path)
            case .botcat:
                let catalog = try BinaryCatalog.read(bytes: bytes, file: path)
                var books = ImportBookkeeping(file: path)
                if report {
                    for t in 0..<catalog.count {
                        books.notePair(artist: catalog.artistOfTrack[t], artistName: catalog.artistName(TrackID(t)),
                                       title: catalog.titles[t], line: t + 1)
                    }
                }
                return CatalogImport(catalog: catalog, report: CatalogImportReport(
                    file: path, format: .botcat, rows: catalog.count, idMapping: .fileOrder,
                    duplicates: books.duplicates, missing: [
                        ("album", catalog.albums.count { $0.isEmpty }), ("year", catalog.years.count { $0 == 0 }),
                        ("duration", catalog.durations.count { $0 == 0 }),
                        ("genre", catalog.trackIDs.count { catalog.genres($0).isEmpty }),
                    ]))
            }
        }
    }

    public static func detect(path: String, bytes: UnsafeBufferPointer<UInt8>) throws -> CatalogFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        case "botcat": return .botcat
        default: break
        }
        if bytes.starts(with: BinaryCatalog.magic) { return .botcat }
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "{") { return .jsonl }
        // A CSV header is printable text with a comma in its first line.
        let firstLine = bytes.prefix { $0 != 0x0A }
        if firstLine.contains(0x2C) && !firstLine.contains(where: { $0 < 0x09 }) { return .csv }
        throw InputError(file: path, "unknown catalog format (expected .csv, .jsonl or .botcat, or give --format csv|jsonl|course|botcat)")
    }

    static func readFile(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, "is a directory, not a catalog file") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw InputError(file: path, "cannot read: \(error.localizedDescription)")
        }
    }
}
