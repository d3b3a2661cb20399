/// Writes a catalog in the shipped CSV layout (`catalog/NOTICE.md`), which every importer reads
/// back to an equal catalog. Unknown values (year 0, duration 0) are written as empty fields;
/// `release_date` is left empty because a `Catalog` keeps only the year.
public enum CatalogCSVWriter {
    /// The audio feature columns are written only when the catalog has features.
    public static func header(withFeatures: Bool) -> String {
        (["id", "artist", "title", "album", "release_date", "release_year", "genre", "subgenre", "genres", "subgenres",
          "popularity", "duration_s"] + (withFeatures ? AudioFeature.allCases.map(\.name) : [])).joined(separator: ",") + "\n"
    }

    /// Writes to `path` atomically: a temporary file next to it, renamed over it at the end.
    public static func write(_ catalog: Catalog, to path: String) throws {
        try validateNames(catalog)
        try AtomicFile.write(to: path) { sink in
            var out = [UInt8]()
            out.reserveCapacity(1 << 20)
            out.append(contentsOf: header(withFeatures: catalog.hasFeatures).utf8)
            for t in 0..<catalog.count {
                appendRow(catalog, t, to: &out)
                if out.count >= 1 << 20 {
                    try sink(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            try sink(out)
        }
    }

    /// The whole file in memory, for tests and small catalogs.
    public static func data(_ catalog: Catalog) throws -> [UInt8] {
        try validateNames(catalog)
        var out = Array(header(withFeatures: catalog.hasFeatures).utf8)
        for t in 0..<catalog.count { appendRow(catalog, t, to: &out) }
        return out
    }

    /// Genre lists are `;`-joined, so a name holding `;` (or nothing) could not be read back.
    private static func validateNames(_ catalog: Catalog) throws {
        for (field, names) in [("genre", catalog.genreNames), ("subgenre", catalog.subgenreNames)] {
            if let bad = names.first(where: { $0.contains(";") || $0.isEmpty || $0 != $0[...].trimmingCharacters(in: " ") }) {
                throw InputError(file: catalog.source, field: field, value: bad,
                                 "a genre name must be non-empty, without ';' or surrounding spaces, to be written as CSV")
            }
        }
    }

    private static func appendRow(_ c: Catalog, _ t: Int, to out: inout [UInt8]) {
        let id = TrackID(t)
        out.append(contentsOf: String(t).utf8)
        out.append(0x2C)
        appendField(c.artistNames[Int(c.artistOfTrack[t])], to: &out)
        out.append(0x2C)
        appendField(c.titles[t], to: &out)
        out.append(0x2C)
        appendField(c.albums[t], to: &out)
        out.append(0x2C)  // release_date
        out.append(0x2C)
        if c.years[t] > 0 { out.append(contentsOf: String(c.years[t]).utf8) }
        out.append(0x2C)
        let genres = c.genres(id), subgenres = c.subgenres(id)
        appendField(genres.first.map { c.genreNames[Int($0)] } ?? "", to: &out)
        out.append(0x2C)
        appendField(subgenres.first.map { c.subgenreNames[Int($0)] } ?? "", to: &out)
        out.append(0x2C)
        appendField(genres.map { c.genreNames[Int($0)] }.joined(separator: ";"), to: &out)
        out.append(0x2C)
        appendField(subgenres.map { c.subgenreNames[Int($0)] }.joined(separator: ";"), to: &out)
        out.append(0x2C)
        appendNumber(c.popularity[t], to: &out)
        out.append(0x2C)
        if c.durations[t] > 0 { appendNumber(c.durations[t], to: &out) }
        if c.hasFeatures {
            for v in c.features(id) {
                out.append(0x2C)
                appendNumber(v, to: &out)
            }
        }
        out.append(0x0A)
    }

    /// Whole numbers without ".0"; others in Swift's shortest form that reads back exactly.
    private static func appendNumber(_ v: Float, to out: inout [UInt8]) {
        if v == v.rounded(), abs(v) < 1e7 { out.append(contentsOf: String(Int(v)).utf8) } else { out.append(contentsOf: v.description.utf8) }
    }

    private static func appendField(_ s: String, to out: inout [UInt8]) { CSVQuoting.append(s, to: &out) }
}

/// One RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled.
/// Shared by the catalog writer and the log exports.
public enum CSVQuoting {
    public static func append(_ s: String, to out: inout [UInt8]) {
        let bytes = s.utf8
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }
}
