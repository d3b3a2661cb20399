import Foundation
import Testing

/// Runs Tests/e2e/player-kill.sh: the interactive writer's acknowledgement (a play shown as
/// heard) survives SIGKILL, and the next player recovers the dead one's open session.
@Suite struct PlayerKillTests {
    @Test(.disabled(if: TmuxEndToEndTests.tmuxMissing, "tmux is not installed (apt-get install tmux)"))
    func killedPlayerLosesNoHeardPlayAndIsRecovered() throws {
        let run = try TmuxEndToEndTests.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/player-kill.sh").path,
                                                   botifyBinary.path, smallCatalog])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("kill: ok"), "\(run.output)")
    }
}
