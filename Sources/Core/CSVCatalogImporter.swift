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
        var genres = ListCache()
        var subgenres = ListCache()
        var rows = 0
        // Column positions resolved once: a dictionary lookup per field per row showed in the profile.
        let titleColumn = column[.title]!, artistColumn = column[.artist]!
        let idColumn = column[.id], albumColumn = column[.album], yearColumn = column[.year]
        let dateColumn = column[.releaseDate], durationColumn = column[.duration], durationMsColumn = column[.durationMs]
        let popularityColumn = column[.popularity]
        let genreColumns = (column[.genre], column[.genres]), subgenreColumns = (column[.subgenre], column[.subgenres])
        let featureIndices = featureColumns.compactMap { $0 }
        func name(_ field: CatalogField) -> String { map.columnName(field) }

        while try reader.nextRecord(into: &fields) {
            rows += 1
            let line = reader.recordLine
            guard fields.count == width else {
                throw InputError(file: file, line: line, "expected \(width) fields as in the header, found \(fields.count)")
            }
            func fail(_ field: CatalogField, _ value: String?, _ problem: String) -> InputError {
                InputError(file: file, line: line, field: name(field), value: value, problem)
            }
            func number(_ c: Int?, _ field: CatalogField) throws -> Float? {
                guard let c, !fields[c].isEmpty else { return nil }
                guard let v = DecimalParser.float(reader.pointer(fields[c]), fields[c].count), v.isFinite else {
                    throw fail(field, try reader.string(fields[c], column: name(field)), "not a number")
                }
                return v
            }

            let title = try reader.string(fields[titleColumn], column: name(.title))
            guard !title.isEmpty else { throw fail(.title, nil, "missing title") }
            let artistField = fields[artistColumn]
            guard !artistField.isEmpty else { throw fail(.artist, nil, "missing artist") }
            let artist: Int32
            if artistField.hasEscapedQuotes {
                artist = builder.artistID(try reader.string(artistField, column: name(.artist)))
            } else {
                artist = try builder.artistID(bytes: reader.raw(artistField)) { try reader.string(artistField, column: name(.artist)) }
            }
            books.notePair(artist: artist, artistName: builder.artistNames[Int(artist)], title: title, line: line)

            if let c = idColumn {
                guard let id = DecimalParser.int(reader.pointer(fields[c]), fields[c].count) else {
                    throw fail(.id, try reader.string(fields[c], column: name(.id)), "track id must be a whole number")
                }
                books.noteID(id, line: line)
            }
            let album = try albumColumn.map { try reader.string(fields[$0], column: name(.album)) } ?? ""
            if album.isEmpty { missing[.album, default: 0] += 1 }

            var year: Int16 = 0
            if let y = try number(yearColumn, .year) {
                guard y >= 0, y <= 9999, y == y.rounded() else { throw fail(.year, String(y), "year must be a whole number 0–9999") }
                year = Int16(y)
            } else if let c = dateColumn, fields[c].count >= 4 {
                let date = try reader.string(fields[c], column: name(.releaseDate))
                guard let y = Int(date.prefix(4)), y >= 0 else { throw fail(.releaseDate, date, "expected a date starting with YYYY") }
                year = Int16(y)
            }
            if year == 0 { missing[.year, default: 0] += 1 }

            var duration: Float = 0
            if let d = try number(durationColumn, .duration) {
                duration = d
            } else if let ms = try number(durationMsColumn, .durationMs) {
                duration = ms / 1000
            }
            guard duration >= 0 else {
                throw fail(durationColumn != nil ? .duration : .durationMs, String(duration), "duration must not be negative")
            }
            if duration == 0 { missing[.duration, default: 0] += 1 }

            var pop: Float = 0
            if let p = try number(popularityColumn, .popularity) {
                guard p >= 0, p <= 100 else { throw fail(.popularity, String(p), "popularity must be within 0–100") }
                pop = p
            } else {
                missing[.popularity, default: 0] += 1
            }

            let genreList = try genres.ids(reader: reader, fields: fields, main: genreColumns.0, all: genreColumns.1,
                                           names: (name(.genre), name(.genres))) { builder.genreID($0) }
            let subgenreList = try subgenres.ids(reader: reader, fields: fields, main: subgenreColumns.0, all: subgenreColumns.1,
                                                 names: (name(.subgenre), name(.subgenres))) { builder.subgenreID($0) }
            if genreList.isEmpty { missing[.genre, default: 0] += 1 }

            if withFeatures {
                for k in 0..<Catalog.featureCount {
                    let field = CatalogField.featureFields[k]
                    guard let v = try number(featureIndices[k], field) else { throw fail(field, nil, "missing audio feature value") }
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
            missing: [CatalogField.album, .year, .duration, .popularity, .genre].map { f in
                (f == .duration ? "duration" : f == .year ? "year" : f.rawValue, missing[f, default: 0])
            })
        return CatalogImport(catalog: builder.build(source: file, order: order), report: report)
    }
}

/// Genre (or subgenre) lists by the raw bytes of their two columns: most rows repeat one of a
/// few combinations, so each combination is split and interned once.
private struct ListCache {
    private var keys = ByteInterner()
    private var lists: [[Int32]] = []
    private var scratch: [UInt8] = []

    /// Main value first, then the `;`-separated list without repeating it.
    mutating func ids(reader: CSVReader, fields: [CSVField], main: Int?, all: Int?, names: (String, String),
                      intern: (String) -> Int32) throws -> [Int32] {
        scratch.removeAll(keepingCapacity: true)
        if let main { scratch.append(contentsOf: reader.raw(fields[main])) }
        scratch.append(0x01)
        if let all { scratch.append(contentsOf: reader.raw(fields[all])) }
        let (id, inserted) = scratch.withUnsafeBytes { keys.intern($0) }
        guard inserted else { return lists[Int(id)] }
        var list: [Int32] = []
        if let main {
            let name = try reader.string(fields[main], column: names.0)
            if !name.isEmpty { list.append(intern(name)) }
        }
        if let all {
            for part in try reader.string(fields[all], column: names.1).split(separator: ";") {
                let name = part.trimmingCharacters(in: " ")
                guard !name.isEmpty else { continue }
                let id = intern(name)
                if !list.contains(id) { list.append(id) }
            }
        }
        lists.append(list)
        return list
    }
}
