import Core
import Foundation
import Testing

/// The shipped catalog is found from the source checkout and read honestly.
@Suite struct ShippedCatalogTests {
    static let catalog: Catalog = try! CatalogLoader.load(path: CatalogLocator(environment: [:]).locate())

    @Test func countsMatchTheNotice() {
        let c = Self.catalog
        #expect(c.count == 26_229)
        #expect(c.genreNames.count == 6)
        #expect(c.subgenreNames.count == 24)
        #expect(c.hasFeatures)
        #expect(c.features.count == c.count * Catalog.featureCount)
    }

    @Test func firstRowIsReadFieldByField() {
        let c = Self.catalog
        #expect(c.title(0) == "I Don't Care (with Justin Bieber) - Loud Luxury Remix")
        #expect(c.artistName(0) == "Ed Sheeran")
        #expect(c.album(0) == "I Don't Care (with Justin Bieber) [Loud Luxury Remix]")
        #expect(c.years[0] == 2019)
        #expect(c.popularity[0] == 66)
        #expect(c.duration(0) == 194.754)
        #expect(c.genres(0).map { c.genreNames[Int($0)] } == ["pop", "edm"])
        #expect(c.subgenres(0).map { c.subgenreNames[Int($0)] } == ["dance pop", "pop edm"])
        #expect(Array(c.features(0)) == [0.748, 0.916, 0.518, 0.102, 0.0, 0.0653, 0.0583, -2.634, 122.036])
    }

    @Test func everyTrackHasAMainGenreAndSaneValues() {
        let c = Self.catalog
        for t in c.trackIDs {
            #expect(!c.genres(t).isEmpty)
            #expect(c.durations[Int(t)] > 0)
            #expect((0...100).contains(c.popularity[Int(t)]))
            #expect((1950...2021).contains(c.years[Int(t)]))
        }
    }
}
