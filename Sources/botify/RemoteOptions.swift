import ArgumentParser
import Core
import RemoteStrategies

/// `--remote-timeout`, for every command that accepts a strategy (a remote one is
/// `http://HOST:PORT`, resolved by `RemoteStrategyResolver`, installed in `Botify.main`).
struct RemoteOptions: ParsableArguments {
    /// Simulator threads when a strategy is remote and --threads is not given: each thread
    /// waits on one call, so this many calls are in flight.
    static let minimumThreads = 16

    static let timeoutRange = 0.001...600.0

    @Option(name: .customLong("remote-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Per-call timeout of a remote strategy (http://HOST:PORT), in seconds, 0.001…600; "
                               + "a call without an answer by then falls back to random-fresh.", valueName: "SECONDS"))
    var remoteTimeout = 1.0

    /// Sets the timeout before any remote strategy is resolved (and its service probed), so
    /// commands call it first in their own `validate()`.
    func validate() throws {
        guard remoteTimeout.isFinite, Self.timeoutRange.contains(remoteTimeout) else {
            throw InputError(field: "--remote-timeout", value: String(remoteTimeout), "must be 0.001…600 seconds")
        }
        RemoteStrategyResolver.shared.timeout = .nanoseconds(Int64((remoteTimeout * 1e9).rounded()))
    }

    /// One line per remote service the run called: calls, answers and their mean round trip,
    /// fallbacks by cause, `/last` calls. Empty when no strategy was remote.
    static func summaryLines() -> [String] {
        RemoteStrategyResolver.shared.resolvedEndpoints.compactMap { endpoint in
            let c = endpoint.snapshot
            guard c.next > 0 || c.last > 0 else { return nil }
            var line = "remote \(endpoint.base): \(c.next.grouped) /next calls, \(c.answered.grouped) answered"
                + (c.answered > 0 ? " (mean \(String(format: "%.2f", c.meanMilliseconds)) ms)" : "")
            line += ", \(c.fallbackTotal.grouped) fell back to random-fresh" + causes(c.fallbacks)
            let lastFailed = c.lastFailures.values.reduce(0, +)
            line += "; \(c.last.grouped) /last calls, \(lastFailed.grouped) failed" + causes(c.lastFailures)
            return line
        }
    }

    /// " (timeout 3, HTTP error 2)", in `RemoteFailure` order; "" when none.
    private static func causes(_ counts: [RemoteFailure: Int]) -> String {
        let parts = RemoteFailure.allCases.compactMap { f in counts[f].map { "\(f.label) \($0.grouped)" } }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
