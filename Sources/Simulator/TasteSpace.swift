import Core

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The hidden taste space: one vector per track, row-major and contiguous so scoring is a
/// tight loop over Float32. Recommenders never see it; only the simulator and `oracle` do.
public struct TasteSpace: Sendable, Equatable {
    /// The floating type of the world's embeddings, which decides the listener's arithmetic
    /// (`CourseListenerModel.fraction`): the course computes in NumPy in the array's dtype.
    public enum Precision: String, Sendable, Equatable {
        /// Generated worlds and float32 `.npy` files: scores in Float32, the rest in Double.
        case float32
        /// float16 `.npy` files (the course's real world): every value is a Float16 and the
        /// listener follows NumPy's float16 arithmetic.
        case float16
    }

    public let dimensions: Int
    public let count: Int
    /// `count × dimensions`, row i = track i.
    public let vectors: [Float]
    public let precision: Precision

    public init(dimensions: Int, count: Int, vectors: [Float], precision: Precision = .float32) {
        precondition(dimensions > 0 && vectors.count == dimensions * count, "taste space shape mismatch")
        self.dimensions = dimensions
        self.count = count
        self.vectors = vectors
        self.precision = precision
    }

    public func vector(_ t: TrackID) -> ArraySlice<Float> {
        vectors[Int(t) * dimensions..<(Int(t) + 1) * dimensions]
    }

    public func dot(_ a: TrackID, _ b: TrackID) -> Float {
        vectors.withUnsafeBufferPointer { v in
            TasteSpace.dot(v.baseAddress! + Int(a) * dimensions, v.baseAddress! + Int(b) * dimensions, dimensions)
        }
    }

    /// The score the listener hears `a` with in a session on interest `b`: `dot` in float32
    /// worlds; in float16 worlds NumPy's float16 `np.dot` (`HALF_dot`: products and a
    /// sequential sum in Float32, the sum rounded to Float16), returned widened to Float.
    public func listenScore(_ a: TrackID, _ b: TrackID) -> Float {
        vectors.withUnsafeBufferPointer { v in
            listenScore(v.baseAddress! + Int(a) * dimensions, v.baseAddress! + Int(b) * dimensions)
        }
    }

    @inline(__always)
    func listenScore(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        switch precision {
        case .float32: return TasteSpace.dot(a, b, dimensions)
        case .float16: return TasteSpace.halfDot(a, b, dimensions)
        }
    }

    /// NumPy's float16 dot product of vectors holding Float16 values: each product is exact in
    /// Float32 (11 × 11 significand bits), summed in order in Float32, then rounded to Float16.
    @inline(never)
    static func halfDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum: Float = 0
        for i in 0..<n { sum += a[i] * b[i] }
        return Half.round(sum)
    }

    /// The one inner product every part of the simulator uses, so scores agree bit for bit.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var i = 0
        var acc = SIMD8<Float>()
        while i + 8 <= n {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var sum = acc.sum()
        while i < n { sum += a[i] * b[i]; i += 1 }
        return sum
    }
}

extension TasteSpace {
    /// Stream tags: each kind of part draws from its own keyed stream of the world seed.
    enum Part: UInt64 { case genre = 1, subgenre, artist, noise, projection, user }

    /// z_t = normalize(wg·mean G[g] + ws·mean S[u] + wa·A[artist] + wf·P f_t + wn·e_t), with G, S,
    /// A, e keyed by name or track id so that adding tracks does not reshuffle the others.
    public static func generate(catalog: Catalog, config: WorldConfig) -> TasteSpace {
        let d = config.dimensions, w = config.weights, seed = config.seed
        func gaussian(_ part: Part, _ key: UInt64) -> [Double] {
            var rng = SeededGenerator(seed: seed, stream: part.rawValue, key)
            return (0..<d).map { _ in rng.nextGaussian() }
        }
        let genres = catalog.genreNames.map { gaussian(.genre, StableHash.of($0)) }
        let subgenres = catalog.subgenreNames.map { gaussian(.subgenre, StableHash.of($0)) }
        let artists = catalog.artistNames.map { gaussian(.artist, StableHash.of($0)) }
        let featureCount = Catalog.featureCount
        let standardised = catalog.hasFeatures ? standardise(catalog) : []
        // P is D × features, entries N(0,1)/sqrt(features); column j keyed by feature index.
        var projection = [Double](repeating: 0, count: d * featureCount)
        if catalog.hasFeatures {
            let scale = 1 / Double(featureCount).squareRoot()
            for j in 0..<featureCount {
                let column = gaussian(.projection, UInt64(j))
                for i in 0..<d { projection[i * featureCount + j] = column[i] * scale }
            }
        }
        var vectors = [Float](repeating: 0, count: catalog.count * d)
        var z = [Double](repeating: 0, count: d)
        for t in 0..<catalog.count {
            let track = TrackID(t)
            for i in 0..<d { z[i] = 0 }
            add(mean: catalog.genres(track), of: genres, weight: w.genre, to: &z)
            add(mean: catalog.subgenres(track), of: subgenres, weight: w.subgenre, to: &z)
            let a = artists[Int(catalog.artistOfTrack[t])]
            for i in 0..<d { z[i] += w.artist * a[i] }
            if catalog.hasFeatures {
                let f = t * featureCount
                for i in 0..<d {
                    var s = 0.0
                    for j in 0..<featureCount { s += projection[i * featureCount + j] * standardised[f + j] }
                    z[i] += w.features * s
                }
            }
            let e = gaussian(.noise, UInt64(t))
            for i in 0..<d { z[i] += w.noise * e[i] }
            let norm = z.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let inv = norm > 0 ? 1 / norm : 0
            for i in 0..<d { vectors[t * d + i] = Float(z[i] * inv) }
        }
        return TasteSpace(dimensions: d, count: catalog.count, vectors: vectors)
    }

    private static func add(mean ids: ArraySlice<Int32>, of parts: [[Double]], weight: Double, to z: inout [Double]) {
        guard !ids.isEmpty else { return }
        let scale = weight / Double(ids.count)
        for id in ids {
            let p = parts[Int(id)]
            for i in 0..<z.count { z[i] += scale * p[i] }
        }
    }

    /// Each feature shifted to mean 0 and scaled to standard deviation 1 (constant ones to 0).
    private static func standardise(_ catalog: Catalog) -> [Double] {
        let f = Catalog.featureCount, n = catalog.count
        var out = catalog.features.map(Double.init)
        for j in 0..<f {
            var mean = 0.0
            for t in 0..<n { mean += out[t * f + j] }
            mean /= Double(n)
            var variance = 0.0
            for t in 0..<n { variance += (out[t * f + j] - mean) * (out[t * f + j] - mean) }
            let sd = (variance / Double(max(n - 1, 1))).squareRoot()
            for t in 0..<n { out[t * f + j] = sd > 0 ? (out[t * f + j] - mean) / sd : 0 }
        }
        return out
    }
}
