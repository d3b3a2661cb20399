/// Reads a catalog from CSV: the shipped layout as is, or any header through a `CSVColumnMap`.
/// `title` and `artist` are required; other fields may be absent or empty (reported as missing);
/// audio features are all present or none.
public enum CSVCatalogImporter {
    public static func read(bytes: UnsafeBufferPointer<UInt8>, file: String, map: CSVColumnMap = CSVColumnMap()) throws -> CatalogImport {
        var reader = CSVReader(bytes: bytes, file: file)
        var fields: [CSVField] = []
        guard try reader.nextRecord(into: &fields) else { throw InputError(file: file, "empty file: no header, no tracks") }
        var header: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            header[try reader.string(f, column: "header")] = i
        }
        let width = fields.count
        var column: [CatalogField: Int] = [:]
        for field in CatalogField.allCases {
            let name = map.columnName(field)
            if let index = header[name] {
                column[field] = index
            } else if map.columns[field] != nil {
                throw InputError(file: file, line: 1, field: field.rawValue, value: name,
                                 "mapped column not found in the header")
            }
        }
        for required in [CatalogField.title, .artist] where column[required] == nil {
            throw InputError(file: file, line: 1, field: required.rawValue,
                             "no '\(map.columnName(required))' column in the header (use --map \(required.rawValue)=COLUMN)")
        }
        let featureColumns = CatalogField.featureFields.map { column[$0] }
        let withFeatures = featureColumns.contains { $0 != nil }
        if withFeatures, let absent = CatalogField.featureFields.first(where: { column[$0] == nil }) {
            throw InputError(file: file, line: 1, field: absent.rawValue,
                             "audio features must be all present or all absent; this one has no column")
        }

        let estimate = bytes.count / 120
        var builder = CatalogBuilder(withFeatures: withFeatures, capacity: estimate)
        var books = ImportBookkeeping(file: file)
        var missing = [CatalogField: Int]()
        var rowFeatures = [Float](repeating: 0, count: Catalog.featureCount)
        var genreList: [Int32] = []
        var subgenreList: [Int32] = []
        var genreCache: [String: [Int32]] = [:]
        var subgenreCache: [String: [Int32]] = [:]
        var rows = 0

        while try reader.nextRecord(into: &fields) {
            rows += 1
            let line = reader.recordLine
            guard fields.count == width else {
                throw InputError(file: file, line: line, "expected \(width) fields as in the header, found \(fields.count)")
            }
            func text(_ field: CatalogField) throws -> String? {
                guard let c = column[field] else { return nil }
                return try reader.string(fields[c], column: map.columnName(field))
            }
            func number(_ field: CatalogField) throws -> Float? {
                guard let c = column[field], !fields[c].isEmpty else { return nil }
                guard let v = DecimalParser.float(reader.pointer(fields[c]), fields[c].count), v.isFinite else {
                    throw InputError(file: file, line: line, field: map.columnName(field),
                                     value: try reader.string(fields[c], column: map.columnName(field)), "not a number")
                }
                return v
            }
            func fail(_ field: CatalogField, _ value: String?, _ problem: String) -> InputError {
                InputError(file: file, line: line, field: map.columnName(field), value: value, problem)
            }

            let title = try text(.title)!
            guard !title.isEmpty else { throw fail(.title, nil, "missing title") }
            let artistName = try text(.artist)!
            guard !artistName.isEmpty else { throw fail(.artist, nil, "missing artist") }
            let artist = builder.artistID(artistName)
            books.notePair(artist: artist, artistName: artistName, title: title, line: line)

            if let c = column[.id] {
                guard let id = DecimalParser.int(reader.pointer(fields[c]), fields[c].count) else {
                    throw fail(.id, try reader.string(fields[c], column: "id"), "track id must be a whole number")
                }
                books.noteID(id, line: line)
            }
            let album = try text(.album) ?? ""
            if album.isEmpty { missing[.album, default: 0] += 1 }

            var year: Int16 = 0
            if let y = try number(.year) {
                guard y >= 0, y <= 9999, y == y.rounded() else { throw fail(.year, String(y), "year must be a whole number 0–9999") }
                year = Int16(y)
            } else if let date = try text(.releaseDate), date.utf8.count >= 4 {
                guard let y = Int(date.prefix(4)), y >= 0 else { throw fail(.releaseDate, date, "expected a date starting with YYYY") }
                year = Int16(y)
            }
            if year == 0 { missing[.year, default: 0] += 1 }

            var duration: Float = 0
            if let d = try number(.duration) {
                duration = d
            } else if let ms = try number(.durationMs) {
                duration = ms / 1000
            }
            guard duration >= 0 else {
                throw fail(column[.duration] != nil ? .duration : .durationMs, String(duration), "duration must not be negative")
            }
            if duration == 0 { missing[.duration, default: 0] += 1 }

            var pop: Float = 0
            if let p = try number(.popularity) {
                guard p >= 0, p <= 100 else { throw fail(.popularity, String(p), "popularity must be within 0–100") }
                pop = p
            } else {
                missing[.popularity, default: 0] += 1
            }

            try collect(main: text(.genre), all: text(.genres), cache: &genreCache, into: &genreList) { builder.genreID($0) }
            try collect(main: text(.subgenre), all: text(.subgenres), cache: &subgenreCache, into: &subgenreList) { builder.subgenreID($0) }
            if genreList.isEmpty { missing[.genre, default: 0] += 1 }

            if withFeatures {
                for (k, field) in CatalogField.featureFields.enumerated() {
                    guard let v = try number(field) else { throw fail(field, nil, "missing audio feature value") }
                    rowFeatures[k] = v
                }
            }
            builder.append(title: title, artist: artist, album: album, year: year, duration: duration, popularity: pop,
                           genres: genreList, subgenres: subgenreList, features: rowFeatures)
        }
        guard rows > 0 else { throw InputError(file: file, "no tracks: the file has a header but no rows") }
        let (mapping, order) = try books.trackOrder(rows: rows, field: map.columnName(.id))
        let report = CatalogImportReport(
            file: file, format: .csv, rows: rows, idMapping: mapping, duplicates: books.duplicates,
            missing: [CatalogField.album, .year, .duration, .popularity, .genre].compactMap { f in
                missing[f].map { (f == .duration ? "duration" : f == .year ? "year" : f.rawValue, $0) }
            })
        return CatalogImport(catalog: builder.build(source: file, order: order), report: report)
    }

    /// Main value first, then the `;`-separated list without repeating it.
    private static func collect(main: String?, all: String?, cache: inout [String: [Int32]], into list: inout [Int32],
                                intern: (String) -> Int32) throws {
        let key = (main ?? "") + "\u{1}" + (all ?? "")
        if let cached = cache[key] { list = cached; return }
        list.removeAll()
        if let main, !main.isEmpty { list.append(intern(main)) }
        for part in (all ?? "").split(separator: ";") {
            let name = part.trimmingCharacters(in: " ")
            guard !name.isEmpty else { continue }
            let id = intern(name)
            if !list.contains(id) { list.append(id) }
        }
        cache[key] = list
    }
}
