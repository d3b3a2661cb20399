import Core
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered byte destination for exports: standard output, or a file that appears only
/// when complete.
public final class ByteSink {
    private let descriptor: Int32
    private let displayName: String
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    /// For atomic files: (temporary path, final path) until `commit`.
    private var pending: (temporary: String, final: String)?

    private init(descriptor: Int32, displayName: String, pending: (String, String)?) {
        self.descriptor = descriptor
        self.displayName = displayName
        self.pending = pending
        buffer.reserveCapacity(capacity)
    }

    deinit {
        // Never committed: an error happened; leave the destination as it was.
        if let pending {
            close(descriptor)
            unlink(pending.temporary)
        }
    }

    public static func standardOutput() -> ByteSink {
        ByteSink(descriptor: STDOUT_FILENO, displayName: "standard output", pending: nil)
    }

    /// Writes go to a temporary file beside `path`; `commit()` renames it over `path`, so
    /// readers see the old file or the complete new one, never a part.
    public static func atomicFile(_ path: String) throws -> ByteSink {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array((directory + "/.\(url.lastPathComponent).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw InputError(file: path, "cannot write here (\(String(cString: strerror(errno))))")
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        fchmod(fd, 0o644)
        return ByteSink(descriptor: fd, displayName: path, pending: (temporary, path))
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { writeBytes(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw InputError(file: displayName, "write failed (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Makes an atomic file appear at its path (flushing first); nothing to do for stdout.
    public func commit() throws {
        try flush()
        guard let pending else { return }
        let synced = fsync(descriptor) == 0
        let reason = String(cString: strerror(errno))
        close(descriptor)
        guard synced else {
            unlink(pending.temporary)
            self.pending = nil
            throw InputError(file: displayName, "write failed (\(reason))")
        }
        guard rename(pending.temporary, pending.final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(pending.temporary)
            self.pending = nil
            throw InputError(file: displayName, "cannot replace the file (\(reason))")
        }
        self.pending = nil
    }
}

/// The C `write`, which the method of the same name hides inside `ByteSink`.
private func writeBytes(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
