import Core
import Experiments
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Storage

/// `botify serve`: botify's strategies behind the course's HTTP protocol (docs/PROTOCOL.md).
/// Calls are answered on Hummingbird's event loops from `RemoteListeners`; closed sessions go
/// through `SessionDrain` to a `BatchSessionWriter` and the course's JSON lines through
/// `CourseLog`, both on their own threads. SIGTERM or SIGINT stops accepting, lets running
/// requests finish, closes every open session and returns once all of it is committed.
public struct BotifyServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        public var idleTimeout: Double
        public var seed: UInt64
        public var limits = ServeLimits()
        /// Seconds between commits of closed sessions.
        public var commitInterval = 0.1
        /// Event-loop threads answering calls (each connection stays on one).
        public var eventLoops = System.coreCount

        public init(host: String, port: Int, idleTimeout: Double, seed: UInt64) {
            self.host = host
            self.port = port
            self.idleTimeout = idleTimeout
            self.seed = seed
        }
    }

    /// What a finished run did, for the last line the command prints.
    public struct Summary: Sendable {
        public var sessions: Int
        public var plays: Int
        public var closedAtShutdown: Int
    }

    public let arms: [ServeArm]
    public let experiment: String?
    public let catalog: Catalog
    public let settings: Settings

    public init(arms: [ServeArm], experiment: String?, catalog: Catalog, settings: Settings) {
        self.arms = arms
        self.experiment = experiment
        self.catalog = catalog
        self.settings = settings
    }

    /// Serves until SIGTERM/SIGINT. `onListening` gets the bound port (useful with port 0).
    /// Throws when the port cannot be bound or the database refused a commit.
    public func run(database: BotifyDatabase, log: CourseLog?, onListening: @escaping @Sendable (String, Int) -> Void) async throws -> Summary {
        let writer = BatchSessionWriter(database: database, catalogFingerprint: catalog.fingerprint,
                                        batchPlays: 1_000_000, maxPendingBatches: 2)
        let drain = SessionDrain(sink: writer, interval: settings.commitInterval) { error in
            printToStandardError("botify: could not save to \(database.path): \(error); stopping")
            // Graceful shutdown: the ServiceGroup below listens for it.
            kill(getpid(), SIGTERM)
        }
        // The course's assignment (`ArmAssignment`: `mmh3.hash(str(user), mmh3.hash(name), signed=False) % split`),
        // so a user lands in the same arm as in the course's service.
        let assignment = experiment.map { ArmAssignment(experiment: $0, arms: arms.count) }
        let listeners = RemoteListeners(arms: arms, experiment: experiment, catalog: catalog, seed: settings.seed,
                                        idleTimeout: settings.idleTimeout, limits: settings.limits,
                                        assign: { user in assignment?.arm(of: user) ?? 0 },
                                        onClose: { drain.enqueue($0) })
        // Idle sessions close a few times per timeout, on a thread of their own.
        let sweeper = PeriodicWorker(name: "botify.serve-idle", interval: max(0.05, min(1, settings.idleTimeout / 4))) { _ in
            listeners.closeIdle(now: Date().timeIntervalSince1970)
            return true
        }
        let names = arms.map(\.strategy).joined(separator: ", ")
        let greeting = experiment.map { "botify serve: experiment \($0), arms \(names)" } ?? "botify serve: strategy \(names)"
        let responder = CourseProtocolResponder(listeners: listeners, log: log, greeting: greeting)
        var logger = Logger(label: "botify.serve")
        logger.logLevel = .critical
        let host = settings.host, port = settings.port
        let listening = Flag()
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: settings.eventLoops)
        // Keep-alive is HTTP/1.1's default; a connection idle this long is closed so idle
        // clients cannot hold sockets forever.
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(300))
        let app = Application(
            responder: responder,
            server: EventLoopPinnedHTTP1.builder(configuration: http1),
            configuration: ApplicationConfiguration(address: .hostname(host, port: settings.port), serverName: nil),
            onServerRunning: { channel in
                listening.set()
                onListening(host, channel.localAddress?.port ?? 0)
            },
            eventLoopGroupProvider: .shared(loops),
            logger: logger)
        var serveError: (any Error)?
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            serveError = listening.isSet ? error : ServeError(message: "cannot listen on \(host):\(port): \(error)")
        }
        try? await loops.shutdownGracefully()
        sweeper.stop()
        let closedAtShutdown = listeners.closeAll()
        var firstError = serveError
        do { try drain.close() } catch { firstError = firstError ?? error }
        do { try writer.close() } catch { firstError = firstError ?? error }
        do { try log?.close() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
        let committed = drain.committed
        return Summary(sessions: committed.sessions, plays: committed.plays, closedAtShutdown: closedAtShutdown)
    }
}

/// The server could not start (the port is taken, the address is not this machine's).
public struct ServeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Set once, read from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
