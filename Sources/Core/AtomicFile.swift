import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old file or the complete new one: the bytes go
/// to a temporary file in the same directory, which is flushed and then renamed over the target.
/// On any error the temporary file is removed and the target is untouched.
public enum AtomicFile {
    public typealias Sink = ([UInt8]) throws -> Void

    public static func write(to path: String, _ body: (Sink) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
        var closed = false
        do {
            try body { bytes in
                var done = 0
                while done < bytes.count {
                    let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, bytes.count - done) }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
            closed = true
            guard close(fd) == 0 else { throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
            guard rename(temporary, path) == 0 else { throw InputError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
        } catch {
            if !closed { close(fd) }
            unlink(temporary)
            throw error
        }
    }
}

/// `write(2)`, under a name that the static `write(to:)` above does not shadow.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
