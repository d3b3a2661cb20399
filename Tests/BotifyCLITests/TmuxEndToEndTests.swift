import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the Tests/e2e scripts against the built binary — a person at the keys (tui-e2e.sh), the
/// bot listening (bot-e2e.sh), a script of commands (script-e2e.sh) — each in a private tmux
/// server on a temporary database, checked afterwards with sqlite3. Skips (saying why) only
/// without tmux.
@Suite("player end to end in tmux")
struct TmuxEndToEndTests {
    static func onPath(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    static let tmuxMissing = !onPath("tmux")

    /// Runs the script with an empty signal mask and default handlers: the test runner blocks
    /// signals in its threads, and a tmux server and player inheriting that would never see
    /// SIGWINCH or SIGHUP. Output goes to a file, since the tmux server outlives a pipe's reader.
    static func runScript(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("botify-e2e-\(UUID().uuidString).log").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["/bin/bash"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xFF, output)
    }

    @Test("search, play, skip ×3, switch strategy, stats, resize, quit → sessions and plays in the database",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func endToEnd() throws {
        #expect(Self.onPath("sqlite3"), "the end-to-end test checks the database with the sqlite3 shell (apt-get install sqlite3)")
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/tui-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("e2e: ok (5 plays in 1 session)"), "\(run.output)")
    }

    @Test("--bot: the bot listens with no key pressed, a strategy switched from the menu picks its next tracks, sessions in the database",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func botListens() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/bot-e2e.sh").path, botifyBinary.path, smallCatalog])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("bot: ok"), "\(run.output)")
    }

    @Test("--script: a typo refused before start; search, play, skip, switch, like, History, quit run by themselves",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func scriptRuns() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/script-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("script: ok (4 plays in 1 session)"), "\(run.output)")
    }

    @Test("queue: two tracks queued with e play first, recorded as the listener's own choice, then the strategy picks",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func queuedTracksPlayFirst() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/queue-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("queue: ok (4 plays, 3 the listener's own)"), "\(run.output)")
    }

    @Test("browse: filters by artist and years, reverse sort, the tree opened and a track played from it, reasons stored and in History",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func browseAndPlayFromTheTree() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/browse-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("browse: ok (2 plays with a reason)"), "\(run.output)")
    }

    @Test("mouse: a tab click, the wheel, a double click plays a row; off in config, no mouse reports asked for",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func mouseActs() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/mouse-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("mouse: ok"), "\(run.output)")
    }

    @Test("seek: a click on the progress bar moves the track there, and a skip records only what was played",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func seekByClick() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/seek-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("seek: ok"), "\(run.output)")
    }

    @Test("bot mode to watch: --no-spoilers hides the plan, each skip flashes for a reader at ×8, a script shows its line",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func botWorthWatching() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/bot-watch-e2e.sh").path, botifyBinary.path,
                                      repositoryRoot.appendingPathComponent("catalog/tracks.csv").path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("bot-watch: ok"), "\(run.output)")
    }

    @Test("play --strategy http://…: the example service picks, Up next asks nothing ahead, /last per session reaches it",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func remoteStrategyPlays() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/remote-play-e2e.sh").path, botifyBinary.path])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("remote play: ok"), "\(run.output)")
    }

    @Test("long term: runs stored by simulate and ab --days, Stats → L draws the newest, j the older, charts kept at 40×12",
          .disabled(if: tmuxMissing, "tmux is not installed: the end-to-end player test needs it (apt-get install tmux)"))
    func longTermView() throws {
        let run = try Self.runScript([repositoryRoot.appendingPathComponent("Tests/e2e/long-term-e2e.sh").path, botifyBinary.path,
                                      smallCatalog])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("long-term: ok"), "\(run.output)")
    }

    @Test("without a terminal the player exits 2 and points to the headless commands")
    func notATerminal() throws {
        let p = Process()
        p.executableURL = botifyBinary
        p.arguments = ["play", "--db", FileManager.default.temporaryDirectory.appendingPathComponent("botify-notty-\(UUID().uuidString).sqlite").path]
        p.standardInput = FileHandle.nullDevice
        let err = Pipe()
        p.standardOutput = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(message.contains("not a terminal") && message.contains("botify simulate"), "\(message)")
    }
}
