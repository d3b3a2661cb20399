import Core
import Foundation
import Recommenders

/// Turns `http://HOST:PORT` and `https://HOST:PORT` strategy names into remote strategies for
/// every registry (`StrategyResolvers`). A name of that form is checked when it is resolved —
/// which commands do while parsing, before anything is opened or written: a malformed URL, or
/// a service that does not answer `GET /` within the timeout, is an `InputError`. Endpoints are
/// kept per base URL, so a run's counts add up over days and arms of one service share them.
public final class RemoteStrategyResolver: @unchecked Sendable {
    public static let shared = RemoteStrategyResolver()

    /// The per-call timeout (`--remote-timeout`); endpoints made after a change use it.
    public static let defaultTimeout: Duration = .seconds(1)
    private let lock = NSLock()
    private var timeoutValue: Duration = RemoteStrategyResolver.defaultTimeout
    private var endpoints: [String: Result<RemoteEndpoint, InputError>] = [:]
    private var installed = false

    public var timeout: Duration {
        get { lock.withLock { timeoutValue } }
        set { lock.withLock { timeoutValue = newValue } }
    }

    /// Adds the resolver to `StrategyResolvers.shared` (once).
    public func install() {
        let first = lock.withLock { () -> Bool in
            defer { installed = true }
            return !installed
        }
        guard first else { return }
        StrategyResolvers.shared.add(StrategyResolver(form: "http://HOST:PORT (a remote recommender)") { [self] name in
            try strategy(named: name)
        })
    }

    /// Whether `name` has the resolver's form (a scheme it owns), valid or not.
    public static func owns(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The strategy for `name`, nil when the name is not a URL of this form.
    public func strategy(named name: String) throws -> Strategy? {
        guard Self.owns(name) else { return nil }
        let endpoint = try self.endpoint(for: name)
        return Strategy(name: name, summary: "a remote recommender at \(endpoint.base) (the course's /next and /last protocol)") { _ in
            RemoteRecommender(name: name, endpoint: endpoint)
        }
    }

    /// Every endpoint resolved so far that answered, by base URL (for the run's summary).
    public var resolvedEndpoints: [RemoteEndpoint] {
        lock.withLock { endpoints.values.compactMap { try? $0.get() }.sorted { $0.base < $1.base } }
    }

    /// The endpoint of a base URL, probed once (a later lookup reuses the answer).
    func endpoint(for name: String) throws -> RemoteEndpoint {
        let base = try Self.base(of: name)
        if let known = lock.withLock({ endpoints[base] }) { return try known.get() }
        let endpoint = RemoteEndpoint(base: base, timeout: timeout)
        let result: Result<RemoteEndpoint, InputError>
        if let (failure, detail) = endpoint.probe() {
            let hint = failure == .timeout ? "; a slow service needs a longer --remote-timeout" : "; start the service first"
            result = .failure(InputError(field: "strategy", value: name, "no recommender answers GET \(base)/: \(detail)\(hint)"))
        } else {
            result = .success(endpoint)
        }
        lock.withLock { endpoints[base] = endpoints[base] ?? result }
        return try lock.withLock { endpoints[base]! }.get()
    }

    /// "http://127.0.0.1:5001" from what the user typed, or an `InputError` naming what is
    /// wrong: the course's services are at the root of a host and port, so a path other than
    /// "/", a query, a fragment or credentials are refused rather than silently dropped.
    public static func base(of name: String) throws -> String {
        func bad(_ problem: String) -> InputError { InputError(field: "strategy", value: name, "not a remote recommender URL: \(problem)") }
        guard let c = URLComponents(string: name), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw bad("expected http://HOST:PORT or https://HOST:PORT")
        }
        guard let host = c.host, !host.isEmpty else { throw bad("no host") }
        guard c.user == nil, c.password == nil else { throw bad("credentials are not supported") }
        guard c.query == nil, c.fragment == nil else { throw bad("no query or fragment, the protocol's paths are /next and /last") }
        guard c.path.isEmpty || c.path == "/" else { throw bad("path '\(c.path)': the service is called at its root (/next/<user>)") }
        var base = "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)"
        if let port = c.port {
            guard (1...65_535).contains(port) else { throw bad("port \(port) is not 1…65535") }
            base += ":\(port)"
        }
        return base
    }
}
