import Foundation

/// Reads the botify course's tracks file: one JSON object per line with `track` (id), `artist`
/// and `title`, and optionally `album`, `genre` or `genres` (the course's simulator files use
/// `genres`; ids or names, a list or one value; both fields are merged when a line has both),
/// `duration` (seconds), `pop` (popularity) and `year`. The numeric fields also accept a string
/// holding a number (`"year": "2004"`, as the course's LLM-written track data has); any other
/// string is an error naming the field and value. Duplicate (artist, title) pairs are
/// kept as separate tracks — the course's ids refer to them — and reported.
public enum CourseCatalogImporter {
    public static func read(bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> CatalogImport {
        var builder = CatalogBuilder(withFeatures: false, capacity: bytes.count / 60)
        var books = ImportBookkeeping(file: file)
        var missing = ["album": 0, "duration": 0, "popularity": 0, "genre": 0, "year": 0]
        var genres: [Int32] = []
        var rows = 0
        try JSONLines.forEachLine(bytes) { text, line in
            rows += 1
            let object = try parseObject(text, file: file, line: line)
            func fail(_ field: String, _ value: Any?, _ problem: String) -> InputError {
                InputError(file: file, line: line, field: field, value: value.map { "\($0)" }, problem)
            }
            func requiredString(_ key: String) throws -> String {
                guard let value = object[key] else { throw fail(key, nil, "missing \(key)") }
                guard let s = value as? String else { throw fail(key, value, "expected a string") }
                guard !s.isEmpty else { throw fail(key, nil, "missing \(key)") }
                return s
            }
            func optionalNumber(_ key: String) throws -> Double? {
                guard let value = object[key], !(value is NSNull) else { return nil }
                if let number = value as? NSNumber, number.doubleValue.isFinite {
                    return number.doubleValue
                }
                if let text = value as? String, let number = Self.number(in: text) { return number }
                throw fail(key, value, "not a number")
            }

            guard let idValue = object["track"] else { throw fail("track", nil, "missing track id") }
            guard let id = idValue as? Int else { throw fail("track", idValue, "track id must be a whole number") }
            books.noteID(id, line: line)
            let title = try requiredString("title")
            let artistName = try requiredString("artist")
            let artist = builder.artistID(artistName)
            books.notePair(artist: artist, artistName: artistName, title: title, line: line)

            var album = ""
            if let value = object["album"], !(value is NSNull) {
                guard let s = value as? String else { throw fail("album", value, "expected a string") }
                album = s
            }
            if album.isEmpty { missing["album"]! += 1 }

            let duration = try optionalNumber("duration") ?? 0
            guard duration >= 0 else { throw fail("duration", duration, "duration must not be negative") }
            if duration == 0 { missing["duration"]! += 1 }
            let pop = try optionalNumber("pop") ?? 0
            guard pop >= 0 else { throw fail("pop", pop, "popularity must not be negative") }
            if object["pop"] == nil { missing["popularity"]! += 1 }
            let year = try optionalNumber("year") ?? 0
            guard year >= 0, year <= 9999, year == year.rounded() else { throw fail("year", year, "year must be a whole number 0–9999") }
            if year == 0 { missing["year"]! += 1 }

            genres.removeAll(keepingCapacity: true)
            for key in ["genre", "genres"] {
                guard let value = object[key], !(value is NSNull) else { continue }
                let items = (value as? [Any]) ?? [value]
                for item in items {
                    let name: String
                    if let s = item as? String { name = s } else if let i = item as? Int { name = String(i) } else {
                        throw fail(key, item, "expected genre ids or names")
                    }
                    guard !name.isEmpty else { continue }
                    let g = builder.genreID(name)
                    if !genres.contains(g) { genres.append(g) }
                }
            }
            if genres.isEmpty { missing["genre"]! += 1 }
            builder.append(title: title, artist: artist, album: album, year: Int16(year), duration: Float(duration),
                           popularity: Float(pop), genres: genres, subgenres: EmptyCollection(), features: EmptyCollection())
        }
        guard rows > 0 else { throw InputError(file: file, "no tracks: the file holds no JSON lines") }
        let (mapping, order) = try books.trackOrder(rows: rows, field: "track")
        let report = CatalogImportReport(
            file: file, format: .jsonl, rows: rows, idMapping: mapping, duplicates: books.duplicates,
            missing: ["album", "year", "duration", "popularity", "genre"].map { ($0, missing[$0]!) })
        return CatalogImport(catalog: builder.build(source: file, order: order), report: report)
    }

    /// A decimal number written as a string ("2004", " 3.5 "); nil for anything else
    /// (hex, "nan", "inf", words, the empty string).
    static func number(in text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty,
              trimmed.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
              let number = Double(trimmed), number.isFinite else { return nil }
        return number
    }

    /// One JSON-lines line as an object (also the course's recommendation files' reader).
    static func parseObject(_ text: UnsafeBufferPointer<UInt8>, file: String, line: Int) throws -> [String: Any] {
        guard String(validating: text, as: UTF8.self) != nil else {
            throw InputError(file: file, line: line, value: String(decoding: text, as: UTF8.self), "invalid UTF-8")
        }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(buffer: text), options: [.fragmentsAllowed])
        } catch {
            throw InputError(file: file, line: line, value: String(decoding: text, as: UTF8.self), "not valid JSON")
        }
        guard let object = value as? [String: Any] else {
            throw InputError(file: file, line: line, value: String(decoding: text, as: UTF8.self), "expected a JSON object per line")
        }
        return object
    }
}
