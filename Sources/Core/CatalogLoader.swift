import Foundation

/// Loads a catalog from any importable file, choosing the reader by `format`, else by
/// extension, else by content (a first `{` means JSON lines). Nothing is half-loaded: any
/// bad row throws an `InputError` and no catalog is returned.
public enum CatalogLoader {
    public static func load(path: String, format: CatalogFormat? = nil, map: CSVColumnMap = CSVColumnMap()) throws -> Catalog {
        try importFile(path: path, format: format, map: map).catalog
    }

    public static func importFile(path: String, format: CatalogFormat? = nil, map: CSVColumnMap = CSVColumnMap()) throws -> CatalogImport {
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
            }
        }
    }

    public static func detect(path: String, bytes: UnsafeBufferPointer<UInt8>) throws -> CatalogFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        default: break
        }
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "{") { return .jsonl }
        // A CSV header is printable text with a comma in its first line.
        let firstLine = bytes.prefix { $0 != 0x0A }
        if firstLine.contains(0x2C) && !firstLine.contains(where: { $0 < 0x09 }) { return .csv }
        throw InputError(file: path, "unknown catalog format (expected .csv or .jsonl, or give --format csv|jsonl|course)")
    }

    static func readFile(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, "is a directory, not a catalog file") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw InputError(file: path, "cannot read: \(error.localizedDescription)")
        }
    }
}
