import CVectorKernels
import Core
import Foundation
import Testing
@testable import Simulator

/// The C kernels behind course-scale worlds: exact scores whatever the instruction set, and the
/// `.npy` payload conversion, bit for bit against the portable code and the value-by-value reader.
@Suite struct ScoreKernelTests {
    /// Tiles of 8 tracks, dimension-major, as `NearestNeighbours` lays them out.
    static func tiled(_ vectors: [Float], tracks: Int, d: Int, tiles: Int) -> [Float] {
        var out = [Float](repeating: 0, count: tiles * d * 8)
        for t in 0..<tracks { for k in 0..<d { out[(t / 8 * d + k) * 8 + t % 8] = vectors[t * d + k] } }
        return out
    }

    static func scores(_ kernel: bv_tile_scores_fn, tiled: [Float], d: Int, tiles: Int, queries: [Float]) -> [Float] {
        let count = queries.count / d
        var out = [Float](repeating: .nan, count: count * tiles * 8)
        queries.withUnsafeBufferPointer { q in
            let rows = (0..<count).map { Optional(q.baseAddress! + $0 * d) }
            rows.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { o in
                    kernel(tiled, d, 0, tiles, r.baseAddress!, count, o.baseAddress!, tiles * 8)
                }
            }
        }
        return out
    }

    /// D = 700 crosses the kernel's 256-dimension passes; values of very different sizes make
    /// every rounding matter, so a fused or reordered sum would show.
    @Test func tileScoresAreTheSequentialSumOnEveryInstructionSet() {
        let d = 700, tracks = 29, tiles = 4
        var rng = SeededGenerator(seed: 21)
        let vectors = (0..<(tracks * d)).map { _ in Float(rng.nextGaussian() * pow(10, Double(rng.nextIndex(7)) - 3)) }
        // Twelve queries (two register blocks): every other track.
        let queries = (0..<12).flatMap { q in vectors[(q * 2) * d..<(q * 2 + 1) * d] }
        let layout = Self.tiled(vectors, tracks: tracks, d: d, tiles: tiles)
        let generic = Self.scores(bv_tile_scores_generic()!, tiled: layout, d: d, tiles: tiles, queries: queries)
        for q in 0..<12 {
            for t in 0..<tracks {
                var s: Float = 0
                for k in 0..<d { s += vectors[t * d + k] * queries[q * d + k] }
                #expect(generic[q * tiles * 8 + t].bitPattern == s.bitPattern, "query \(q) track \(t)")
            }
        }
        guard let avx2 = bv_tile_scores_avx2() else { return }  // no AVX2 here: nothing else to compare
        let vector = Self.scores(avx2, tiled: layout, d: d, tiles: tiles, queries: queries)
        #expect(vector.map(\.bitPattern) == generic.map(\.bitPattern))
    }

    /// Every one of the 65,536 binary16 patterns: finite ones widen to the same bits on the
    /// vector and portable paths as the reader's own `halfToFloat`; the first infinity or NaN stops both.
    @Test func halfWideningIsExactForEveryPattern() {
        let finite = (0...UInt16.max).filter { $0 & 0x7C00 != 0x7C00 }
        var out = [Float](repeating: .nan, count: finite.count), portable = out
        #expect(bv_widen_halves(finite, &out, finite.count) == finite.count)
        #expect(bv_widen_halves_generic(finite, &portable, finite.count) == finite.count)
        #expect(out.map(\.bitPattern) == finite.map { NumpyMatrix.halfToFloat($0).bitPattern })
        #expect(portable.map(\.bitPattern) == out.map(\.bitPattern))
        for stop in [0x7C00, 0xFC00, 0x7E00] as [UInt16] {
            let input = Array(finite.prefix(37)) + [stop] + Array(finite.prefix(5))
            var sink = [Float](repeating: 0, count: input.count)
            #expect(bv_widen_halves(input, &sink, input.count) == 37)
            #expect(bv_widen_halves_generic(input, &sink, input.count) == 37)
        }
    }

    /// The one-pass reader (little-endian, C order) and the value-by-value one (big-endian,
    /// Fortran order) read the same matrix, and name the same first non-finite value.
    @Test func npyPayloadPathsAgree() throws {
        let rows = 13, columns = 11
        var rng = SeededGenerator(seed: 4)
        let halves = (0..<(rows * columns)).map { _ in UInt16(rng.nextIndex(0x7C00)) | (rng.nextIndex(2) == 0 ? 0 : 0x8000) }
        func file(_ descr: String, fortran: Bool, _ values: [UInt16]) -> Data {
            var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': (\(rows), \(columns)), }"
            while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
            header += "\n"
            var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
            data.append(contentsOf: Array(header.utf8))
            var order = Array(0..<values.count)
            if fortran { order = (0..<values.count).map { i in (i % rows) * columns + i / rows } }
            for i in order {
                let h = descr.hasPrefix(">") ? values[i].byteSwapped : values[i]
                data.append(contentsOf: [UInt8(h & 0xFF), UInt8(h >> 8)])
            }
            return data
        }
        let fast = try NumpyMatrix(npy: file("<f2", fortran: false, halves), file: "fast.npy")
        let slow = try NumpyMatrix(npy: file(">f2", fortran: true, halves), file: "slow.npy")
        #expect(fast.precision == .float16 && fast.values.map(\.bitPattern) == halves.map { NumpyMatrix.halfToFloat($0).bitPattern })
        #expect(slow.values.map(\.bitPattern) == fast.values.map(\.bitPattern))
        var broken = halves
        broken[40] = 0x7C00
        for (descr, fortran) in [("<f2", false), (">f2", false)] {
            #expect(throws: InputError.self) { try NumpyMatrix(npy: file(descr, fortran: fortran, broken), file: "bad.npy") }
            do { _ = try NumpyMatrix(npy: file(descr, fortran: fortran, broken), file: "bad.npy") } catch {
                #expect("\(error)".contains("value 40 is not finite"), "\(error)")
            }
        }
        let floats = (0..<(rows * columns)).map { _ in Float(rng.nextGaussian()) }
        let float32 = try NumpyMatrix(npy: NumpyWriter.data(floats, shape: [rows, columns]), file: "f4.npy")
        #expect(float32.values.map(\.bitPattern) == floats.map(\.bitPattern) && float32.precision == .float32)
        var bad = floats
        bad[7] = .infinity
        do { _ = try NumpyMatrix(npy: NumpyWriter.data(bad, shape: [rows, columns]), file: "f4.npy"); Issue.record("accepted inf") } catch {
            #expect("\(error)".contains("value 7 is not finite"), "\(error)")
        }
    }
}
