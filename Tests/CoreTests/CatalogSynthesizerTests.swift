import Core
import Foundation
import Testing

@Suite struct CatalogSynthesizerTests {
    static let catalog = CatalogSynthesizer(tracks: 30_000, seed: 11).generate()

    @Test func sameSeedSameCatalogOtherSeedOtherCatalog() {
        let a = CatalogSynthesizer(tracks: 2_000, seed: 5).generate()
        let b = CatalogSynthesizer(tracks: 2_000, seed: 5).generate()
        expectSameCatalog(a, b)
        #expect(CatalogSynthesizer(tracks: 2_000, seed: 6).generate().fingerprint != a.fingerprint)
    }

    @Test func hasTheShapeOfTheShippedCatalog() {
        let c = Self.catalog
        #expect(c.count == 30_000)
        #expect(c.genreNames.count == 6 && c.subgenreNames.count == 24)
        var perArtist = [Int](repeating: 0, count: c.artistNames.count)
        for a in c.artistOfTrack { perArtist[Int(a)] += 1 }
        #expect(perArtist.min()! >= 1 && perArtist.max()! <= 50)
        #expect(Set(c.artistNames).count == c.artistNames.count)
        let summary = CatalogSummary(c)
        let median = summary.durationSeconds!.p50
        #expect(median > 195 && median < 225)
        #expect(summary.popularityMean > 25 && summary.popularityMean < 55)
        #expect(c.popularity.allSatisfy { (0...100).contains($0) })
        // Power law: the top 10% of tracks carry far more weight exp(pop/28) than the bottom half.
        let weights = c.popularity.map { exp(Double($0) / 28) }.sorted()
        let top = weights.suffix(3_000).reduce(0, +), bottom = weights.prefix(15_000).reduce(0, +)
        #expect(top > 2 * bottom)
    }

    @Test func featuresFollowGenreAndCorrelate() {
        let c = Self.catalog
        func mean(_ f: AudioFeature, genre: String) -> Double {
            let g = Int32(c.genreNames.firstIndex(of: genre)!)
            let rows = c.trackIDs.filter { c.genres($0).first == g }
            return rows.reduce(0.0) { $0 + Double(c.features($1)[Int($1) * Catalog.featureCount + f.rawValue]) } / Double(rows.count)
        }
        #expect(mean(.speechiness, genre: "rap") > 1.5 * mean(.speechiness, genre: "rock"))
        #expect(mean(.instrumentalness, genre: "edm") > 2 * mean(.instrumentalness, genre: "pop"))
        let energy = c.trackIDs.map { Double(c.features($0).dropFirst(AudioFeature.energy.rawValue).first!) }
        let loud = c.trackIDs.map { Double(c.features($0).dropFirst(AudioFeature.loudness.rawValue).first!) }
        #expect(correlation(energy, loud) > 0.5)
        for t in c.trackIDs.prefix(2_000) {
            let f = Array(c.features(t))
            #expect(f[0...6].allSatisfy { (0...1).contains($0) })
            #expect((-40...1).contains(f[7]) && (50...220).contains(f[8]))
        }
    }

    private func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / (sxx * syy).squareRoot()
    }
}
