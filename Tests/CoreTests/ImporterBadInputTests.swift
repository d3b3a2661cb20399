import Core
import Foundation
import Testing

/// Every kind of bad input gives one `InputError` naming file, line, field and value.
@Suite struct ImporterBadInputTests {
    let dir = ScratchDirectory()
    static let header = "id,artist,title,duration_s\n"

    @Test func missingFile() {
        let e = inputError { try CatalogLoader.load(path: "/nonexistent/tracks.csv") }
        #expect(e == InputError(file: "/nonexistent/tracks.csv", "no such file"))
    }

    @Test func emptyFile() {
        for name in ["empty.csv", "empty.jsonl"] {
            let path = dir.file(name, "")
            #expect(inputError { try CatalogLoader.load(path: path) }?.problem.hasPrefix("empty file") == true)
        }
        let headerOnly = dir.file("header.csv", Self.header)
        #expect(inputError { try CatalogLoader.load(path: headerOnly) }?.problem.hasPrefix("no tracks") == true)
    }

    @Test func unknownFormat() {
        let path = dir.file("tracks.dat", [0x00, 0x01, 0x02, 0xFE, 0x0A])
        let e = inputError { try CatalogLoader.load(path: path) }
        #expect(e?.file == path)
        #expect(e?.problem.hasPrefix("unknown catalog format") == true)
    }

    @Test func invalidUTF8() {
        let csv = dir.file("bad.csv", Array((Self.header + "0,Artist,").utf8) + [0x41, 0xFF, 0x42] + Array(",200\n".utf8))
        let e = inputError { try CatalogLoader.load(path: csv) }
        #expect(e?.line == 2 && e?.field == "title" && e?.problem == "invalid UTF-8")
        let jsonl = dir.file("bad.jsonl", Array("{\"track\":0,\"artist\":\"a\",\"title\":\"t\"}\n{\"track\":1,\"artist\":\"".utf8) + [0xC3, 0x28] + Array("\",\"title\":\"x\"}\n".utf8))
        let j = inputError { try CatalogLoader.load(path: jsonl) }
        #expect(j?.line == 2 && j?.problem == "invalid UTF-8")
    }

    @Test func rowWithoutTitle() {
        let csv = dir.file("t.csv", Self.header + "0,A,Song,200\n1,B,,180\n")
        #expect(inputError { try CatalogLoader.load(path: csv) } == InputError(file: csv, line: 3, field: "title", "missing title"))
        let jsonl = dir.file("t.jsonl", "{\"track\":0,\"artist\":\"A\"}\n")
        #expect(inputError { try CatalogLoader.load(path: jsonl) } == InputError(file: jsonl, line: 1, field: "title", "missing title"))
    }

    @Test func negativeOrNonNumericDuration() {
        let negative = dir.file("n.csv", Self.header + "0,A,Song,-3.5\n")
        #expect(inputError { try CatalogLoader.load(path: negative) }
                == InputError(file: negative, line: 2, field: "duration_s", value: "-3.5", "duration must not be negative"))
        let text = dir.file("x.csv", Self.header + "0,A,Song,3:20\n")
        #expect(inputError { try CatalogLoader.load(path: text) }
                == InputError(file: text, line: 2, field: "duration_s", value: "3:20", "not a number"))
        let jsonl = dir.file("x.jsonl", "{\"track\":0,\"artist\":\"A\",\"title\":\"S\",\"duration\":\"long\"}\n")
        #expect(inputError { try CatalogLoader.load(path: jsonl) }
                == InputError(file: jsonl, line: 1, field: "duration", value: "long", "not a number"))
    }

    /// Numeric strings are accepted, other strings are not: one line naming file, line, field, value.
    @Test func nonNumericYearString() {
        let jsonl = dir.file("y.jsonl", """
            {"track":0,"artist":"A","title":"S","year":"2004"}
            {"track":1,"artist":"A","title":"T","year":"1990s"}
            """)
        let e = inputError { try CatalogLoader.load(path: jsonl) }
        #expect(e == InputError(file: jsonl, line: 2, field: "year", value: "1990s", "not a number"))
        #expect(e?.description == "\(jsonl):2: field 'year' value '1990s': not a number")
        for bad in ["", "nan", "inf", "0x7D4", "20 04"] {
            let path = dir.file("y2.jsonl", "{\"track\":0,\"artist\":\"A\",\"title\":\"S\",\"year\":\"\(bad)\"}\n")
            #expect(inputError { try CatalogLoader.load(path: path) }
                    == InputError(file: path, line: 1, field: "year", value: bad, "not a number"), "\(bad)")
        }
        let fraction = dir.file("y3.jsonl", "{\"track\":0,\"artist\":\"A\",\"title\":\"S\",\"year\":\"2004.5\"}\n")
        #expect(inputError { try CatalogLoader.load(path: fraction) }?.field == "year")
    }

    @Test func duplicateTrackIDs() {
        let csv = dir.file("d.csv", Self.header + "0,A,One,200\n1,B,Two,200\n1,C,Three,200\n")
        let e = inputError { try CatalogLoader.load(path: csv) }
        #expect(e == InputError(file: csv, line: 4, field: "id", value: "1", "duplicate track id (first used on line 3)"))
        let jsonl = dir.file("d.jsonl", "{\"track\":5,\"artist\":\"A\",\"title\":\"S\"}\n{\"track\":5,\"artist\":\"B\",\"title\":\"T\"}\n")
        #expect(inputError { try CatalogLoader.load(path: jsonl) }
                == InputError(file: jsonl, line: 2, field: "track", value: "5", "duplicate track id (first used on line 1)"))
    }

    @Test func singleTenMegabyteLine() {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        // An unterminated quote swallowing 10 MB: named by the line where it opened.
        let csv = dir.file("big.csv", Array((Self.header + "0,A,\"").utf8) + big)
        #expect(inputError { try CatalogLoader.load(path: csv) }?.line == 2)
        // A 10 MB line that is not JSON: one short message, the value clipped.
        let jsonl = dir.file("big.jsonl", Array("{\"track\":0,\"artist\":\"A\",\"title\":\"".utf8) + big)
        let e = inputError { try CatalogLoader.load(path: jsonl) }
        #expect(e?.line == 1 && e?.problem == "not valid JSON")
        #expect((e?.description.count ?? .max) < 200)
    }

    @Test func raggedRowsAndBadQuotes() {
        let short = dir.file("s.csv", Self.header + "0,A,Song\n")
        #expect(inputError { try CatalogLoader.load(path: short) }?.problem == "expected 4 fields as in the header, found 3")
        let quote = dir.file("q.csv", Self.header + "0,A,\"Song\"x,200\n")
        #expect(inputError { try CatalogLoader.load(path: quote) }?.line == 2)
    }

    @Test func mapNamingAnAbsentColumn() throws {
        let csv = dir.file("m.csv", "song,who\nHello,Adele\n")
        let map = try CSVColumnMap(parsing: "title=song,artist=singer")
        #expect(inputError { try CatalogLoader.load(path: csv, map: map) }
                == InputError(file: csv, line: 1, field: "artist", value: "singer", "mapped column not found in the header"))
        #expect(inputError { try CSVColumnMap(parsing: "colour=x") }?.field == "--map")
    }

    @Test func damagedBinaryCatalog() throws {
        let catalog = try CatalogLoader.load(path: dir.file("ok.csv", Self.header + "0,A,Song,200\n1,B,Other,100\n"))
        var bytes = BinaryCatalog.data(catalog)
        let truncated = dir.file("cut.botcat", Array(bytes.prefix(bytes.count - 20)))
        #expect(inputError { try CatalogLoader.load(path: truncated) }?.problem.contains("checksum") == true)
        bytes[40] ^= 0xFF
        let flipped = dir.file("flip.botcat", bytes)
        #expect(inputError { try CatalogLoader.load(path: flipped) }?.problem.contains("checksum") == true)
        let foreign = dir.file("foreign.botcat", "id,artist,title\n0,A,B\n")
        #expect(inputError { try CatalogLoader.load(path: foreign) }?.problem.contains("magic") == true)
    }

    @Test func nothingHalfWrittenWhenTheTargetIsUnwritable() throws {
        let catalog = try CatalogLoader.load(path: dir.file("ok.csv", Self.header + "0,A,Song,200\n"))
        let e = inputError { try CatalogCSVWriter.write(catalog, to: "/nonexistent-dir/out.csv") }
        #expect(e?.file == "/nonexistent-dir/out.csv")
        #expect(dir.contents == ["ok.csv"])
    }
}
