import Core
import Simulator
import TUI

/// `botify play --bot`: a simulated user of the world listens in the visible player. Its first
/// track is its own pick, heard completely (as in the course simulator); after that it hears
/// each recommendation by the course user model and leaves when its budget runs out.
public final class SimulatedBot: BotListener {
    private var listener: SimulatedListener
    private var rng: SeededGenerator
    private var firstTrack: TrackID?

    public init(world: World, user: Int, seed: UInt64) {
        listener = SimulatedListener(world: world, user: user)
        rng = SeededGenerator(seed: seed, stream: UInt64(user), 0x4255_4F54)
    }

    /// The id sessions are logged under (the world's id of this user).
    public var userID: Int64 { listener.userID }

    public func beginSession() -> TrackID {
        let track = listener.startSession(using: &rng)
        firstTrack = track
        return track
    }

    public func hear(_ track: TrackID) -> (fraction: Float, continues: Bool) {
        if let first = firstTrack, first == track {
            firstTrack = nil
            return (1, true)
        }
        firstTrack = nil
        let decision = listener.listen(to: track, using: &rng)
        return (decision.fraction, !decision.sessionEnded)
    }
}
