import Foundation

/// Generates catalogs of any size with the statistical shape of the shipped one, for scale
/// tests. Deterministic for a seed (one generator, one thread, fixed draw order).
///
/// - Artists have 1–50 tracks (a truncated power law, P(k) ∝ k^-1.6), grouped in albums of up
///   to 12, and a main genre that most of their tracks share (a quarter also get a second genre).
/// - Popularity: an artist fame E ~ Exp(1) plus per-track noise, `pop = 12 + 28·(E + 0.3·N(0,1))`
///   clipped to 0–100, so the weight exp(pop/28) is Pareto-distributed (a power law).
/// - Durations: log-normal around 3.5 min (median 210 s, σ = 0.25), clipped to 30 s–20 min.
/// - Audio features: per-genre means, a per-artist offset and noise, with loudness rising and
///   acousticness falling with energy and valence following danceability; clipped to Spotify's ranges.
public struct CatalogSynthesizer: Sendable {
    public var tracks: Int
    public var seed: UInt64

    public init(tracks: Int, seed: UInt64) {
        self.tracks = tracks
        self.seed = seed
    }

    struct GenreProfile {
        var name: String
        var share: Double
        var subgenres: [String]
        /// Means of danceability, energy, speechiness, instrumentalness and tempo.
        var dance: Double, energy: Double, speech: Double, instrumental: Double, tempo: Double
    }

    static let genres: [GenreProfile] = [
        GenreProfile(name: "pop", share: 0.18, subgenres: ["dance pop", "post-teen pop", "electropop", "indie poptimism"],
                     dance: 0.64, energy: 0.70, speech: 0.07, instrumental: 0.02, tempo: 121),
        GenreProfile(name: "rap", share: 0.19, subgenres: ["hip hop", "southern hip hop", "gangster rap", "trap"],
                     dance: 0.72, energy: 0.65, speech: 0.20, instrumental: 0.03, tempo: 120),
        GenreProfile(name: "rock", share: 0.15, subgenres: ["album rock", "classic rock", "permanent wave", "hard rock"],
                     dance: 0.52, energy: 0.73, speech: 0.06, instrumental: 0.06, tempo: 125),
        GenreProfile(name: "latin", share: 0.16, subgenres: ["tropical", "latin pop", "reggaeton", "latin hip hop"],
                     dance: 0.71, energy: 0.71, speech: 0.10, instrumental: 0.04, tempo: 119),
        GenreProfile(name: "r&b", share: 0.16, subgenres: ["urban contemporary", "hip pop", "new jack swing", "neo soul"],
                     dance: 0.67, energy: 0.59, speech: 0.12, instrumental: 0.03, tempo: 114),
        GenreProfile(name: "edm", share: 0.16, subgenres: ["electro house", "big room", "pop edm", "progressive electro house"],
                     dance: 0.66, energy: 0.80, speech: 0.09, instrumental: 0.22, tempo: 126),
    ]

    static let syllables = ["ka", "lo", "mi", "ra", "zen", "tor", "vel", "an", "shi", "mar", "du", "bel", "ko", "ri", "sa",
                            "nov", "el", "ta", "vi", "lum", "or", "pe", "qua", "jo", "xan", "fi", "gor", "hal", "ne", "yu"]
    static let words = ["Love", "Night", "Fire", "Dream", "Heart", "City", "Summer", "Lights", "Gold", "River", "Echo",
                        "Dance", "Rain", "Midnight", "Shadow", "Stars", "Wild", "Blue", "Forever", "Money", "Ghost",
                        "Paradise", "Electric", "Sunset", "Highway", "Diamond", "Thunder", "Ocean", "Silver", "Mirror",
                        "Corazón", "Noche", "Fuego", "Vida", "Baila", "Ciudad", "Lune", "Étoile", "Tokyo", "Karma",
                        "Alive", "Broken", "Higher", "Falling", "Running", "Young", "Golden", "Crazy", "Sweet", "Lost"]

    public func generate() -> Catalog {
        var rng = SeededGenerator(seed: seed, stream: 0x5E17_CA7A)
        var builder = CatalogBuilder(withFeatures: true, capacity: tracks)
        let genreIDs = Self.genres.map { builder.genreID($0.name) }
        let subgenreIDs = Self.genres.map { g in g.subgenres.map { builder.subgenreID($0) } }
        let shares = Self.genres.map(\.share)
        var usedNames = Set<String>()
        var features = [Float](repeating: 0, count: Catalog.featureCount)
        var artistIndex = 0

        while builder.count < tracks {
            let size = min(Self.artistSize(&rng), tracks - builder.count)
            let name = Self.uniqueName(artistIndex, &rng, &usedNames)
            artistIndex += 1
            let artist = builder.artistID(name)
            let mainGenre = Self.pick(shares, &rng)
            let fame = -log(1 - rng.nextUnit())
            let offset = (dance: 0.08 * rng.nextGaussian(), energy: 0.08 * rng.nextGaussian(), tempo: 8 * rng.nextGaussian())
            var album = ""
            var year: Int16 = 0
            for k in 0..<size {
                if k % 12 == 0 {
                    album = Self.phrase(&rng, words: 1 + rng.nextIndex(3))
                    year = Int16(max(1950, 2021 - Int(-8 * log(1 - rng.nextUnit()))))
                }
                let genre = rng.nextUnit() < 0.9 ? mainGenre : Self.pick(shares, &rng)
                var gs = [genreIDs[genre]]
                var ss = [subgenreIDs[genre][rng.nextIndex(4)]]
                if rng.nextUnit() < 0.25 {
                    let second = Self.pick(shares, &rng)
                    if second != genre { gs.append(genreIDs[second]) }
                    let sub = subgenreIDs[second][rng.nextIndex(4)]
                    if !ss.contains(sub) { ss.append(sub) }
                }
                let pop = Float(min(100, max(0, (12 + 28 * (fame + 0.3 * rng.nextGaussian())).rounded())))
                let duration = Float(min(1200, max(30, exp(log(210.0) + 0.25 * rng.nextGaussian()))))
                Self.features(Self.genres[genre], offset, &rng, into: &features)
                builder.append(title: Self.phrase(&rng, words: 1 + rng.nextIndex(4)), artist: artist, album: album,
                               year: year, duration: (duration * 1000).rounded() / 1000, popularity: pop,
                               genres: gs, subgenres: ss, features: features)
            }
        }
        return builder.build(source: "synthetic:\(tracks):\(seed)")
    }

    /// P(k) ∝ k^-1.6 on 1...50, by inverting the cumulative sum.
    static let sizeCDF: [Double] = {
        let weights = (1...50).map { pow(Double($0), -1.6) }
        let total = weights.reduce(0, +)
        var acc = 0.0
        return weights.map { acc += $0; return acc / total }
    }()

    static func artistSize(_ rng: inout SeededGenerator) -> Int {
        let u = rng.nextUnit()
        return (sizeCDF.firstIndex { u < $0 } ?? 49) + 1
    }

    static func pick(_ shares: [Double], _ rng: inout SeededGenerator) -> Int {
        var u = rng.nextUnit() * shares.reduce(0, +)
        for (i, s) in shares.enumerated() {
            if u < s { return i }
            u -= s
        }
        return shares.count - 1
    }

    static func phrase(_ rng: inout SeededGenerator, words count: Int) -> String {
        (0..<count).map { _ in words[rng.nextIndex(words.count)] }.joined(separator: " ")
    }

    static func uniqueName(_ index: Int, _ rng: inout SeededGenerator, _ used: inout Set<String>) -> String {
        var name = ""
        for _ in 0..<(2 + rng.nextIndex(2)) { name += syllables[rng.nextIndex(syllables.count)] }
        name = name.prefix(1).uppercased() + name.dropFirst()
        if rng.nextUnit() < 0.3 { name = "The " + name + "s" } else if rng.nextUnit() < 0.4 {
            name += " " + words[rng.nextIndex(words.count)]
        }
        // Names must be distinct: an interned duplicate would merge two artists.
        if !used.insert(name).inserted {
            name += " \(index)"
            used.insert(name)
        }
        return name
    }

    static func features(_ g: GenreProfile, _ offset: (dance: Double, energy: Double, tempo: Double),
                         _ rng: inout SeededGenerator, into out: inout [Float]) {
        func clip(_ x: Double, _ lo: Double = 0, _ hi: Double = 1) -> Float { Float(min(hi, max(lo, x))) }
        let dance = min(0.98, max(0.1, g.dance + offset.dance + 0.12 * rng.nextGaussian()))
        let energy = min(1, max(0.02, g.energy + offset.energy + 0.15 * rng.nextGaussian()))
        out[AudioFeature.danceability.rawValue] = clip(dance)
        out[AudioFeature.energy.rawValue] = clip(energy)
        out[AudioFeature.valence.rawValue] = clip(0.1 + 0.6 * dance + 0.2 * rng.nextGaussian())
        out[AudioFeature.acousticness.rawValue] = clip(0.85 - 0.9 * energy + 0.12 * rng.nextGaussian())
        let u = rng.nextUnit()
        out[AudioFeature.instrumentalness.rawValue] = clip(u < 1 - g.instrumental * 2 ? 0.001 * u : u * u)
        out[AudioFeature.liveness.rawValue] = clip(0.05 - 0.12 * log(1 - rng.nextUnit()))
        out[AudioFeature.speechiness.rawValue] = clip(g.speech * exp(0.6 * rng.nextGaussian()), 0.02, 0.95)
        out[AudioFeature.loudness.rawValue] = clip(-14 + 10 * energy + 1.5 * rng.nextGaussian(), -40, 1)
        out[AudioFeature.tempo.rawValue] = clip(g.tempo + offset.tempo + 22 * rng.nextGaussian(), 50, 220)
        // Three decimals, as Spotify reports them, so written catalogs stay compact and exact.
        for i in out.indices { out[i] = (out[i] * 1000).rounded() / 1000 }
    }
}
