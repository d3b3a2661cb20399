import Foundation
import Simulator
import Testing

/// The comparison tool hands integer arrays to numpy too: their header and bytes must be what
/// `numpy.load` expects (version 1.0, 64-byte aligned header, little-endian values).
@Suite struct NumpyWriterTests {
    func header(_ data: Data) -> String {
        let length = Int(data[8]) | Int(data[9]) << 8
        return String(decoding: data[10..<(10 + length)], as: UTF8.self)
    }

    @Test func integerArraysCarryTheirTypeShapeAndLittleEndianValues() {
        let int32 = NumpyWriter.data([1, -2, 258] as [Int32], shape: [3])
        #expect(header(int32).hasPrefix("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"))
        #expect((10 + header(int32).utf8.count) % 64 == 0 && header(int32).hasSuffix("\n"))
        #expect(Array(int32.suffix(12)) == [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 2, 1, 0, 0])

        let int64 = NumpyWriter.data([7, 8] as [Int64], shape: [1, 2])
        #expect(header(int64).hasPrefix("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }"))
        #expect(Array(int64.suffix(16)) == [7, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func floatMatricesReadBack() throws {
        let values: [Float] = [0.5, -1, 3.25, 0, 1e-3, 42]
        let data = NumpyWriter.data(values, shape: [2, 3])
        let back = try NumpyMatrix(npy: data, file: "m.npy")
        #expect(back.rows == 2 && back.columns == 3 && back.values == values)
    }
}
