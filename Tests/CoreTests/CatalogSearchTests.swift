import Core
import Testing

@Suite struct CatalogSearchTests {
    /// A small catalog with accents, case and a shared word across fields.
    static let catalog: Catalog = {
        var b = CatalogBuilder(withFeatures: false)
        let rows: [(String, String, String, Float)] = [
            ("Halo", "Beyoncé", "I AM...SASHA FIERCE", 80),
            ("Formation", "Beyoncé", "Lemonade", 70),
            ("Café del Mar", "Energy 52", "Café del Mar", 40),
            ("Perfect Duet", "Ed Sheeran", "Perfect Duet (Ed Sheeran & Beyoncé)", 90),
            ("東京", "宇多田ヒカル", "Fantôme", 50),
            ("Crème Brûlée", "Ünïcodé Bänd", "", 10),
        ]
        for (title, artist, album, pop) in rows {
            b.append(title: title, artist: b.artistID(artist), album: album, year: 2000, duration: 200, popularity: pop,
                     genres: [], subgenres: [], features: [])
        }
        return b.build(source: "test")
    }()
    let search = CatalogSearch(catalog: CatalogSearchTests.catalog)

    @Test func ignoresCaseAndAccentsAndRanksByPopularity() {
        #expect(search.search("BEYONCE") == [3, 0, 1])
        #expect(search.search("beyoncé") == [3, 0, 1])
        #expect(search.search("cafe") == [2])
        #expect(search.search("CREME brulee") == [5])
        #expect(search.search("unicode") == [5])
        #expect(search.search("fantome") == [4])
    }

    @Test func everyWordMustMatchSomewhere() {
        #expect(search.search("beyonce lemonade") == [1])
        #expect(search.search("perfect sheeran") == [3])
        #expect(search.search("halo lemonade") == [])
    }

    @Test func matchesCJKSubstrings() {
        #expect(search.search("東") == [4])
        #expect(search.search("ヒカル") == [4])
    }

    @Test func aWordNeverSpansTwoFields() {
        // "halo" ends the title and "beyonce" starts the artist: together they are not one substring.
        #expect(search.search("halobeyonce") == [])
    }

    @Test func emptyQueryListsEverythingAndLimitCuts() {
        #expect(search.search("") == [3, 0, 1, 4, 2, 5])
        #expect(search.search("   ", limit: 2) == [3, 0])
        #expect(search.search("e", limit: 1) == [3])
        #expect(search.search("e", limit: 0) == [])
    }

    @Test func findsTracksInTheShippedCatalog() {
        let s = CatalogSearch(catalog: ShippedCatalogTests.catalog)
        #expect(s.search("beyonce halo").map { ShippedCatalogTests.catalog.title($0) }.contains("Halo"))
        #expect(s.search("zzzzqqqq").isEmpty)
    }
}
