import CVectorKernels
import Core
import Foundation

/// A 2-D float matrix in NumPy's `.npy` format (version 1–3 headers; float32 or float16,
/// either byte order, C or Fortran order). Enough for course embedding files.
public struct NumpyMatrix: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Row-major.
    public var values: [Float]
    /// The file's dtype: float16 values are stored widened (exactly) to Float.
    public var precision: TasteSpace.Precision

    public init(rows: Int, columns: Int, values: [Float], precision: TasteSpace.Precision = .float32) {
        precondition(values.count == rows * columns, "matrix shape mismatch")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.precision = precision
    }

    /// In the matrix's dtype (float32 or float16), little-endian, C order, version 1.0 header
    /// padded to 64 bytes.
    public func npyData() -> Data {
        switch precision {
        case .float32: return NumpyWriter.data(values, shape: [rows, columns])
        case .float16: return NumpyWriter.halfData(values, shape: [rows, columns])
        }
    }

    public init(npy data: Data, file: String) throws {
        self = try data.withUnsafeBytes { try Self(npy: $0, file: file) }
    }

    /// Reads the matrix from `bytes` (a mapped file, say) without copying it first: little-endian
    /// C-order payloads, what NumPy writes, are widened or copied in one vectorised pass
    /// (CVectorKernels' `bv_widen_halves`, F16C where the CPU has it); other layouts value by value.
    public init(npy bytes: UnsafeRawBufferPointer, file: String) throws {
        func bad(_ problem: String, field: String? = nil, value: String? = nil) -> InputError {
            InputError(file: file, field: field, value: value, problem)
        }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw bad("not a NumPy .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw bad("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw bad("unsupported .npy version \(major)", field: "version", value: String(major))
        }
        guard headerStart + headerLength <= bytes.count,
              let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: .utf8) else {
            throw bad("truncated or unreadable .npy header")
        }
        guard let descr = Self.field("descr", in: header) else { throw bad("header has no descr", field: "descr") }
        let descrText = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
        let width: Int, bigEndian: Bool
        switch descrText {
        case "<f4", "|f4", "=f4": width = 4; bigEndian = false
        case ">f4": width = 4; bigEndian = true
        case "<f2", "|f2", "=f2": width = 2; bigEndian = false
        case ">f2": width = 2; bigEndian = true
        default: throw bad("expected float32 or float16 values", field: "descr", value: descrText)
        }
        let fortran = Self.field("fortran_order", in: header)?.hasPrefix("True") ?? false
        guard let shapeText = Self.shape(in: header) else { throw bad("header has no shape", field: "shape") }
        let dims = shapeText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard dims.count == 2, let rows = Int(dims[0]), let columns = Int(dims[1]), rows >= 0, columns > 0 else {
            throw bad("expected a 2-D matrix [tracks, dimensions]", field: "shape", value: "(\(shapeText))")
        }
        let start = headerStart + headerLength
        let (needed, overflow) = rows.multipliedReportingOverflow(by: columns * width)
        guard !overflow, bytes.count - start >= needed else {
            throw bad("file holds \(bytes.count - start) data bytes, shape needs \(needed)", field: "shape", value: "(\(shapeText))")
        }
        let count = rows * columns
        func value(_ i: Int) -> Float {
            let o = start + i * width
            if width == 4 {
                var bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                if bigEndian { bits = bits.byteSwapped }
                return Float(bitPattern: bits)
            }
            var bits = UInt16(bytes[o]) | UInt16(bytes[o + 1]) << 8
            if bigEndian { bits = bits.byteSwapped }
            return Self.halfToFloat(bits)
        }
        func notFinite(_ i: Int) -> InputError { bad("value \(i) is not finite", field: "values", value: "\(value(i))") }
        var values: [Float]
        if !bigEndian && !fortran {
            var firstBad = count
            values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 {
                    let payload = bytes.baseAddress! + start
                    firstBad = width == 2 ? bv_widen_halves(payload, buffer.baseAddress!, count)
                                          : bv_copy_finite_floats(payload, buffer.baseAddress!, count)
                }
                // Every element is written when all are finite; otherwise the array is dropped.
                if firstBad < count { buffer.baseAddress!.update(repeating: 0, count: count) }
                initialized = count
            }
            if firstBad < count { throw notFinite(firstBad) }
        } else {
            values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let v = value(i)
                guard v.isFinite else { throw notFinite(i) }
                // Fortran order stores column by column.
                values[fortran ? (i % rows) * columns + i / rows : i] = v
            }
        }
        self.init(rows: rows, columns: columns, values: values, precision: width == 2 ? .float16 : .float32)
    }

    private static func field(_ name: String, in header: String) -> String? {
        guard let key = header.range(of: "'\(name)'") ?? header.range(of: "\"\(name)\"") else { return nil }
        let rest = header[key.upperBound...].drop { $0 == " " || $0 == ":" }
        return String(rest.prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
    }

    private static func shape(in header: String) -> String? {
        guard let key = header.range(of: "'shape'") ?? header.range(of: "\"shape\""),
              let open = header[key.upperBound...].firstIndex(of: "("),
              let close = header[open...].firstIndex(of: ")") else { return nil }
        return String(header[header.index(after: open)..<close])
    }

    /// IEEE 754 binary16 → binary32 (portable: `Float16` is missing on some platforms).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | mantissa << 13)
    }
}
