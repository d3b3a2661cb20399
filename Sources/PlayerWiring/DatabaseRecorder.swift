import Core
import Foundation
import Storage
import TUI

/// Writes the player's sessions through storage's interactive writer: each play is committed
/// (and acknowledged) as it ends, so a kill loses nothing already heard.
public final class DatabaseRecorder: SessionRecorder {
    private let writer: InteractiveSessionWriter
    private let catalogFingerprint: String

    public init(database: BotifyDatabase, catalog: Catalog) throws {
        writer = InteractiveSessionWriter(database: database)
        catalogFingerprint = catalog.fingerprint
        // Sessions left open by a player that died are closed (their plays stand).
        try writer.recoverOpenSessions()
    }

    public func beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double) throws {
        _ = try writer.begin(SessionMeta(user: user, strategy: strategy, source: source,
                                         catalogFingerprint: catalogFingerprint, startedAt: startedAt))
    }

    public func record(_ play: Play, reason: String?) throws {
        try writer.append(play, reason: reason, at: Date().timeIntervalSince1970)
    }

    public func endSession(endedAt: Double) throws {
        try writer.finish(endedAt: endedAt)
    }
}
