import ArgumentParser
import Core

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command body and turns errors into botify's exit statuses: bad input (an
/// `InputError`) prints one line and exits 2, anything else exits 1. Nothing is half-printed.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as InputError {
        printError("botify: \(error)")
        throw ExitCode(2)
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("botify: \(error)")
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    let line = Array((message + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}
