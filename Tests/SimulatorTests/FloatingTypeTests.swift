import Core
import Foundation
import Testing
@testable import Simulator

/// The listener computes with the floating types of the course's NumPy code for the world's
/// dtype (docs/ARCHITECTURE.md §3). `Fixtures/float16-world` is a small course world with
/// float16 embeddings and `expected.bin`, the fractions of the course's own `User.listen`
/// arithmetic under NumPy 2 / SciPy, written by `make-float16-fixture.py`.
@Suite struct FloatingTypeTests {
    static let tracks = 400, users = 64, maxArtistPlays = 4

    static func fixture() throws -> (world: World, expected: [UInt8], directory: String) {
        let directory = Bundle.module.resourcePath! + "/Fixtures/float16-world"
        let world = try CourseWorldFiles.load(from: directory)
        let expected = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/expected.bin")))
        return (world, expected, directory)
    }

    /// Percent, as the fixture stores it.
    static func percent(_ f: Double) -> UInt8 { UInt8((f * 100).rounded()) }

    @Test func float16WorldMatchesNumpyExactly() throws {
        let (world, expected, _) = try Self.fixture()
        #expect(world.space.precision == .float16)
        #expect(world.catalog.count == Self.tracks && world.users.count == Self.users)
        #expect(expected.count == Self.users * Self.maxArtistPlays * Self.tracks)
        let u = world.users
        var mismatches = 0, doubleMismatches = 0, evaluations = 0
        for row in 0..<u.count {
            let interest = u.interests(of: row).first!
            for k in 0..<Self.maxArtistPlays {
                for t in world.catalog.trackIDs {
                    let want = expected[(row * Self.maxArtistPlays + k) * Self.tracks + Int(t)]
                    let f = CourseListenerModel.fraction(score: world.space.listenScore(t, interest), bias: u.consumeBias[row],
                                                         sharpness: u.consumeSharpness[row], gamma: u.artistDiscountGamma[row],
                                                         artistPlays: k, precision: world.space.precision)
                    if Self.percent(f) != want { mismatches += 1 }
                    // What botify did before: the Float32 SIMD score, then Double throughout.
                    let old = CourseListenerModel.fraction(score: world.space.dot(t, interest), bias: u.consumeBias[row],
                                                           sharpness: u.consumeSharpness[row], gamma: u.artistDiscountGamma[row],
                                                           artistPlays: k, precision: .float32)
                    if Self.percent(old) != want { doubleMismatches += 1 }
                    evaluations += 1
                }
            }
        }
        #expect(evaluations == 102_400)
        #expect(mismatches == 0)
        // The fixture tells the two arithmetics apart (0.44% of evaluations with float64 in the
        // reference script), so this test fails if the listener falls back to Double.
        #expect(doubleMismatches > 200, "the Double path differs on \(doubleMismatches)")
    }

    /// The same fractions through `SimulatedListener` (the first track counts as an artist play).
    @Test func listenerUsesTheFloat16Arithmetic() throws {
        let (world, expected, _) = try Self.fixture()
        var rng = SeededGenerator(seed: 16)
        var checked = 0
        for row in 0..<world.users.count {
            var listener = SimulatedListener(world: world, user: row)
            let first = listener.startSession(using: &rng)
            let firstArtist = world.catalog.artistOfTrack[Int(first)]
            for t in world.catalog.trackIDs where t != first {
                let k = world.catalog.artistOfTrack[Int(t)] == firstArtist ? 1 : 0
                #expect(Self.percent(listener.fraction(of: t)) == expected[(row * Self.maxArtistPlays + k) * Self.tracks + Int(t)])
                checked += 1
            }
        }
        #expect(checked == world.users.count * (Self.tracks - 1))
    }

    /// The oracle walks float16 scores, so its bound is exact and it finds the best fraction.
    @Test func oracleFindsTheBestFloat16Fraction() throws {
        let (world, _, _) = try Self.fixture()
        let oracle = OracleRecommender(world: world)
        var rng = SeededGenerator(seed: 17)
        for row in 0..<16 {
            var listener = SimulatedListener(world: world, user: row)
            _ = listener.startSession(using: &rng)
            let pick = try #require(oracle.best(for: listener))
            let best = world.catalog.trackIDs.map { listener.fraction(of: $0) }.max()!
            #expect(listener.fraction(of: pick) == best)
        }
    }

    @Test func exportKeepsFloat16() throws {
        let (world, _, directory) = try Self.fixture()
        let out = NSTemporaryDirectory() + "botify-f16-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try CourseWorldFiles.export(world, to: out)
        let back = try CourseWorldFiles.load(from: out)
        #expect(back.space == world.space)
        #expect(back.space.precision == .float16)
        let written = try Data(contentsOf: URL(fileURLWithPath: out + "/embeddings.npy"))
        let original = try Data(contentsOf: URL(fileURLWithPath: directory + "/embeddings.npy"))
        #expect(written.suffix(Self.tracks * 32 * 2) == original.suffix(Self.tracks * 32 * 2), "the same float16 bits")
    }

    @Test func halfRoundingMatchesIEEE() {
        // Every binary16 value round-trips, and its bits come back.
        for h in 0...UInt16.max where (h >> 10) & 0x1F != 0x1F {
            let x = NumpyMatrix.halfToFloat(h)
            #expect(Half.round(x) == x)
            #expect(Half.bits(x) == h || (x == 0 && Half.bits(x) == h))
        }
        // Ties to even, overflow, subnormals.
        #expect(Half.round(1 + 0x1p-11) == 1)
        #expect(Half.round(1 + 3 * 0x1p-11) == 1 + 0x1p-9)
        #expect(Half.round(65519.0) == 65504 && Half.round(65520.0) == .infinity && Half.round(-70000.0) == -.infinity)
        #expect(Half.round(0x1p-25) == 0 && Half.round(0x1.8p-25) == 0x1p-24 && Half.round(3 * 0x1p-25) == 2 * 0x1p-24)
        #if !(os(macOS) && arch(x86_64))
        var rng = SeededGenerator(seed: 18)
        for _ in 0..<200_000 {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard x.isFinite else { continue }
            #expect(Half.round(x) == Float(Float16(x)))
            let d = Double(bitPattern: rng.next() & 0x800F_FFFF_FFFF_FFFF | (1000 + rng.next() % 40) << 52)  // 2^-23…2^16
            #expect(Half.round(d) == Double(Float16(d)))
        }
        #endif
    }
}
