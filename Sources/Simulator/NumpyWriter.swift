import Foundation

/// Writes `.npy` version 1.0 files (little-endian, C order) that numpy loads as they are: course
/// embedding files here, and the comparison data handed to the Python references.
public enum NumpyWriter {
    public static func data(_ values: [Float], shape: [Int]) -> Data {
        data(values.map(\.bitPattern), descr: "<f4", shape: shape)
    }

    /// float16 (`<f2`) from values that are all float16 values already.
    public static func halfData(_ values: [Float], shape: [Int]) -> Data {
        data(values.map(Half.bits), descr: "<f2", shape: shape)
    }

    public static func data(_ values: [Int32], shape: [Int]) -> Data {
        data(values, descr: "<i4", shape: shape)
    }

    public static func data(_ values: [Int64], shape: [Int]) -> Data {
        data(values, descr: "<i8", shape: shape)
    }

    private static func data<T: FixedWidthInteger>(_ values: [T], descr: String, shape: [Int]) -> Data {
        precondition(shape.reduce(1, *) == values.count, "shape does not match the element count")
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }
}
