import Core
import Foundation
import Testing

/// Property: any catalog written in the shipped CSV layout (or as .botcat) reads back equal,
/// over seeded random catalogs full of awkward strings.
@Suite struct RoundTripTests {
    static let pieces = ["a", "Zoë", "\"", ",", "\n", "\r\n", "東京", "😀", "e\u{301}", " ", "''", "ß", ";", "x\"y\"", "\t", "Ω", "لا"]

    static func awkward(_ rng: inout SeededGenerator, allowEmpty: Bool) -> String {
        let n = rng.nextIndex(6) + (allowEmpty ? 0 : 1)
        return (0..<n).map { _ in pieces[rng.nextIndex(pieces.count)] }.joined()
    }

    static func randomCatalog(seed: UInt64) -> Catalog {
        var rng = SeededGenerator(seed: seed)
        let withFeatures = rng.nextUnit() < 0.5
        var b = CatalogBuilder(withFeatures: withFeatures)
        let genreNames = ["pop", "r&b", "hip hop", "東京 pop", "mañana"]
        for _ in 0..<(1 + rng.nextIndex(40)) {
            var title = awkward(&rng, allowEmpty: false)
            if title.utf8.allSatisfy({ $0 == 0x0A || $0 == 0x0D }) { title += "t" }  // blank-only titles are not rows
            let artist = b.artistID(awkward(&rng, allowEmpty: false) + "!")
            let genres = (0..<rng.nextIndex(3)).map { _ in b.genreID(genreNames[rng.nextIndex(genreNames.count)]) }
            let features = (0..<Catalog.featureCount).map { _ in Float(rng.nextGaussian() * 100) }
            b.append(title: title, artist: artist, album: awkward(&rng, allowEmpty: true),
                     year: Int16(rng.nextIndex(2) == 0 ? 0 : 1900 + rng.nextIndex(130)),
                     duration: rng.nextIndex(4) == 0 ? 0 : Float(rng.nextUnit() * 600),
                     popularity: Float(rng.nextIndex(101)),
                     genres: Array(Set(genres)).sorted(), subgenres: genres.isEmpty ? [] : [b.subgenreID("sub \(genres[0])")],
                     features: withFeatures ? features : [])
        }
        return b.build(source: "random \(seed)")
    }

    @Test(arguments: 0..<60)
    func csvRoundTrip(seed: Int) throws {
        let original = Self.randomCatalog(seed: UInt64(seed))
        let bytes = try CatalogCSVWriter.data(original)
        let read = try bytes.withUnsafeBufferPointer { try CSVCatalogImporter.read(bytes: $0, file: "mem.csv") }
        #expect(read.report.idMapping == .identity)
        expectSameCatalog(original, read.catalog)
    }

    @Test(arguments: 0..<20)
    func binaryRoundTrip(seed: Int) throws {
        let original = Self.randomCatalog(seed: UInt64(seed))
        let bytes = BinaryCatalog.data(original)
        let read = try bytes.withUnsafeBufferPointer { try BinaryCatalog.read(bytes: $0, file: "mem.botcat") }
        expectSameCatalog(original, read)
    }

    @Test func shippedCatalogRoundTripsThroughBothFormats() throws {
        let shipped = ShippedCatalogTests.catalog
        let csv = try CatalogCSVWriter.data(shipped)
        expectSameCatalog(shipped, try csv.withUnsafeBufferPointer { try CSVCatalogImporter.read(bytes: $0, file: "m").catalog })
        let bin = BinaryCatalog.data(shipped)
        expectSameCatalog(shipped, try bin.withUnsafeBufferPointer { try BinaryCatalog.read(bytes: $0, file: "m") })
    }

    @Test func decimalParserAgreesWithTheStandardLibrary() {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<20_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard f.isFinite else { continue }
            for text in [f.description, String(Double(f)), String(format: "%.3f", Double(f))] {
                let parsed = Array(text.utf8).withUnsafeBufferPointer { DecimalParser.float($0.baseAddress!, $0.count) }
                #expect(parsed == Float(text), "\(text)")
            }
        }
        for bad in ["", "-", ".", "1e", "abc", "1.2.3", "1,5", "nan", "inf"] {
            #expect(Array(bad.utf8).withUnsafeBufferPointer { DecimalParser.double($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) } == nil)
        }
    }
}
