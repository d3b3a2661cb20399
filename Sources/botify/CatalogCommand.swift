import ArgumentParser
import Core
import Foundation

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Inspect, search, import and synthesize track catalogs.",
        subcommands: [Info.self, Search.self, Import.self, Synth.self])

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Summarize a catalog: counts, years, durations, popularity.")

        @OptionGroup var catalogOptions: CatalogOptions
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() throws {
            try reportingErrors {
                let clock = ContinuousClock()
                let start = clock.now
                let catalog = try catalogOptions.loadCatalog()
                let elapsed = clock.now - start
                let summary = CatalogSummary(catalog)
                if json { return try printJSON(summary) }
                let ms = elapsed.seconds * 1000
                print("catalog      \(summary.source)  (loaded in \(String(format: "%.0f", ms)) ms)")
                print("fingerprint  \(summary.fingerprint)")
                print("tracks       \(summary.tracks)")
                print("artists      \(summary.artists)")
                print("albums       \(summary.albums)")
                print("genres       \(summary.genres)" + (summary.genres == 0 ? "" : "  (\(summary.genreNames.prefix(12).joined(separator: ", "))\(summary.genres > 12 ? ", …" : ""))"))
                print("subgenres    \(summary.subgenres)")
                if let lo = summary.yearMin, let hi = summary.yearMax {
                    print("years        \(lo)–\(hi)" + (summary.tracksWithoutYear > 0 ? "  (\(summary.tracksWithoutYear) without year)" : ""))
                } else {
                    print("years        unknown")
                }
                if let d = summary.durationSeconds {
                    print("duration     p10 \(clockTime(d.p10))  p50 \(clockTime(d.p50))  p90 \(clockTime(d.p90))"
                          + (summary.tracksWithoutDuration > 0 ? "  (\(summary.tracksWithoutDuration) without duration)" : ""))
                } else {
                    print("duration     unknown")
                }
                let p = summary.popularity
                print("popularity   mean \(String(format: "%.1f", summary.popularityMean))  p10 \(number(p.p10))  p50 \(number(p.p50))  p90 \(number(p.p90))")
                print("features     \(summary.hasAudioFeatures ? "yes (\(AudioFeature.allCases.map(\.name).joined(separator: ", ")))" : "none")")
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find tracks by title, artist or album (case- and accent-insensitive; every word must match).")

        @OptionGroup var catalogOptions: CatalogOptions
        @Argument(help: "Words to look for.") var query: [String]
        @Option(help: "Show at most this many tracks.") var limit = 20
        @Flag(help: "Print JSON lines instead of text.") var json = false

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        }

        func run() throws {
            try reportingErrors {
                let catalog = try catalogOptions.loadCatalog()
                let results = CatalogSearch(catalog: catalog).search(query.joined(separator: " "), limit: limit)
                for t in results {
                    if json {
                        try printJSON(TrackRecord(catalog, t), pretty: false)
                    } else {
                        let year = catalog.years[Int(t)] > 0 ? ", \(catalog.years[Int(t)])" : ""
                        let album = catalog.album(t).isEmpty ? "" : "  [\(catalog.album(t))\(year)]"
                        print("\(String(t).leftPadded(to: 7))  \(clockTime(catalog.duration(t)).leftPadded(to: 6))  \(catalog.artistName(t)) — \(catalog.title(t))\(album)")
                    }
                }
                if !json && results.isEmpty { print("no tracks match") }
            }
        }
    }
}

extension CatalogCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a catalog file, report on it, and optionally write it in the shipped CSV layout.",
            discussion: """
            Formats: csv (the shipped layout, or any CSV with --map); jsonl, alias course (botify course JSON lines: \
            track, artist, title required; album, genre, duration, pop, year optional); botcat (botify binary).

            Map fields: \(CatalogField.allCases.map(\.rawValue).joined(separator: ", ")) (aliases: year, duration, pop).
            """)

        @Argument(help: "The file to import.") var file: String
        @Option(help: "csv, jsonl (alias course) or botcat; default: from the extension or content.") var format: String?
        @Option(help: ArgumentHelp("CSV column map, e.g. title=song_name,artist=artist_name,duration=length_s.",
                                   valueName: "FIELD=COLUMN,...")) var map: String?
        @Option(help: ArgumentHelp("Write the catalog here (atomically): the shipped CSV layout, or binary for a .botcat name.",
                                   valueName: "FILE.csv|FILE.botcat"))
        var out: String?
        @Option(help: "List at most this many duplicate (artist, title) rows.") var showDuplicates = 10
        @Flag(help: "Print the report as JSON.") var json = false

        func run() throws {
            try reportingErrors {
                var chosen: CatalogFormat?
                if let format {
                    guard let f = CatalogFormat(argument: format) else {
                        throw InputError(field: "--format", value: format, "unknown format (expected csv, jsonl, course or botcat)")
                    }
                    chosen = f
                }
                let columnMap = try map.map { try CSVColumnMap(parsing: $0) } ?? CSVColumnMap()
                let result = try CatalogLoader.importFile(path: file, format: chosen, map: columnMap)
                if let out { try writeCatalog(result.catalog, to: out) }
                let report = ImportSummary(result, written: out)
                if json { return try printJSON(report) }
                print("file         \(report.file)")
                print("format       \(report.format)")
                print("rows         \(report.rows)")
                print("tracks       \(report.tracks)")
                print("artists      \(report.artists)")
                print("albums       \(report.albums)")
                print("genres       \(report.genres)")
                print("track ids    \(report.trackIds)")
                print("duplicates   \(report.duplicates.count) rows repeat an earlier (artist, title); kept as their own tracks")
                for d in report.duplicates.prefix(showDuplicates) {
                    print("  line \(d.line): \(d.artist) — \(d.title)  (first on line \(d.firstLine))")
                }
                if report.duplicates.count > showDuplicates { print("  … \(report.duplicates.count - showDuplicates) more") }
                let missing = report.missing.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                print("missing      " + (missing.isEmpty ? "none" : missing.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
                print("features     \(report.hasAudioFeatures ? "yes" : "none")")
                if let out { print("written      \(out)") }
            }
        }
    }
}

extension CatalogCommand {
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic catalog of any size with the shape of the shipped one (deterministic for a seed).",
            discussion: "Power-law popularity, artists with 1–50 tracks, six genres and 24 subgenres, log-normal durations "
                + "around 3.5 min, audio features that follow genre. Use a .botcat name for large catalogs: it loads "
                + "about ten times faster than CSV.")

        @Option(parsing: .unconditional, help: "Number of tracks, 1…\(Self.maxTracks.grouped).") var tracks: Int
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Output file: .csv (shipped layout) or .botcat (binary).", valueName: "FILE"))
        var out: String

        /// About 100 bytes a track in memory and on disk: a few GB at most.
        static let maxTracks = 20_000_000

        func validate() throws {
            try SizeLimits.check(tracks, "--tracks", 1...Self.maxTracks)
        }

        func run() throws {
            try reportingErrors {
                let catalog = CatalogSynthesizer(tracks: tracks, seed: seed).generate()
                try writeCatalog(catalog, to: out)
                print("wrote \(catalog.count) tracks by \(catalog.artistNames.count) artists to \(out) (seed \(seed), fingerprint \(catalog.fingerprint))")
            }
        }
    }
}

/// Binary for a `.botcat` name, the shipped CSV layout otherwise.
private func writeCatalog(_ catalog: Catalog, to path: String) throws {
    if path.lowercased().hasSuffix(".botcat") {
        try BinaryCatalog.write(catalog, to: path)
    } else {
        try CatalogCSVWriter.write(catalog, to: path)
    }
}

/// The import report as printed (and as JSON).
private struct ImportSummary: Encodable {
    struct Duplicate: Encodable { var line: Int, firstLine: Int, artist: String, title: String }
    var file: String, format: String, rows: Int, tracks: Int, artists: Int, albums: Int, genres: Int
    var trackIds: String, duplicates: [Duplicate], missing: [String: Int], hasAudioFeatures: Bool, written: String?

    init(_ result: CatalogImport, written: String?) {
        let c = result.catalog, r = result.report
        file = r.file
        format = r.format == .jsonl ? "jsonl (botify course)" : r.format.rawValue
        rows = r.rows
        tracks = c.count
        artists = c.artistNames.count
        albums = Set(c.albums.filter { !$0.isEmpty }).count
        genres = c.genreNames.count
        trackIds = r.idMapping.rawValue
        duplicates = r.duplicates.map { Duplicate(line: $0.line, firstLine: $0.firstLine, artist: $0.artist, title: $0.title) }
        missing = Dictionary(uniqueKeysWithValues: r.missing.map { ($0.field, $0.rows) })
        hasAudioFeatures = c.hasFeatures
        self.written = written
    }
}

/// One track as JSON (search results).
private struct TrackRecord: Encodable {
    var id: Int32, title: String, artist: String, album: String, year: Int16, duration: Float, popularity: Float
    var genres: [String], subgenres: [String]

    init(_ c: Catalog, _ t: TrackID) {
        id = t
        title = c.title(t)
        artist = c.artistName(t)
        album = c.album(t)
        year = c.years[Int(t)]
        duration = c.duration(t)
        popularity = c.popularity[Int(t)]
        genres = c.genres(t).map { c.genreNames[Int($0)] }
        subgenres = c.subgenres(t).map { c.subgenreNames[Int($0)] }
    }
}

private func printJSON(_ value: some Encodable, pretty: Bool = true) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

private func clockTime(_ seconds: Float) -> String {
    guard seconds > 0 else { return "--:--" }
    let s = Int(seconds.rounded())
    return String(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + String(s % 60)
}

private func number(_ x: Float) -> String {
    x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
