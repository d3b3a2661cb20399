import Core
import Terminal
import Testing
@testable import TUI

/// Golden frames of every screen at 80×24 and 40×12, CJK and accented rows included.
@Suite struct ScreenSnapshotTests {
    static let sizes = [(80, 24), (40, 12)]

    static func render(_ state: AppState) -> ScreenBuffer { AppView.render(state) }

    /// A session with a listened, a skipped and a playing track, as Now Playing and History show.
    static func playingState(width: Int, height: Int) -> AppState {
        var state = makeState(width: width, height: height)
        state.library.cursor = state.library.rows.firstIndex(of: 3)!  // First Love — 宇多田ヒカル
        apply(&state, .command(.select), .tick(now: state.now + 13))
        apply(&state, .tick(now: state.now + 3), .command(.skip))
        apply(&state, .tick(now: state.now + 4))
        state.message = nil
        return state
    }

    @Test(arguments: sizes)
    func library(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .command(.down(3)))
        assertSnapshot(Self.render(state), named: "library-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func librarySearching(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .key(.char("/")), .key(.char("c")), .key(.char("a")))
        assertSnapshot(Self.render(state), named: "library-search-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func nowPlaying(_ w: Int, _ h: Int) {
        var state = Self.playingState(width: w, height: h)
        state.screen = .nowPlaying
        assertSnapshot(Self.render(state), named: "now-playing-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func nowPlayingIdle(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        state.screen = .nowPlaying
        assertSnapshot(Self.render(state), named: "now-playing-idle-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func strategies(_ w: Int, _ h: Int) {
        var state = Self.playingState(width: w, height: h)
        apply(&state, .command(.screen(.strategies)), .command(.down(1)), .command(.select), .command(.retrain("trained-order")),
              .retrainProgress("trained-order", 0.45))
        apply(&state, ready("random", state))
        assertSnapshot(Self.render(state), named: "strategies-\(w)x\(h)")
    }

    /// Relative figures are fractions (0.263 = +26.3%); the screen shows them once in percent.
    static let stats = StatsSnapshot(
        strategies: [
            StrategyStats(strategy: "sticky-artist", source: .bot, users: 40, sessions: 412, meanLength: 3.12, ciLow: 2.98,
                          ciHigh: 3.26, skipRate: 0.58, heardPerRecommendation: 0.41,
                          histogram: [12, 40, 88, 101, 77, 50, 24, 12, 6, 2, 0, 3],
                          vsBaseline: Uplift(relative: 0.2632, low: 0.1951, high: 0.3313, adjustedPValue: 0.0004)),
            StrategyStats(strategy: "random", source: .bot, users: 38, sessions: 398, meanLength: 2.47, ciLow: 2.36,
                          ciHigh: 2.58, skipRate: 0.67, heardPerRecommendation: 0.33,
                          histogram: [20, 71, 120, 98, 55, 21, 9, 3, 1, 0, 0, 0]),
            StrategyStats(strategy: "i2i", source: .human, users: 1, sessions: 1, meanLength: 4.25, ciLow: .nan,
                          ciHigh: .nan, skipRate: 0.2, heardPerRecommendation: 0.81,
                          histogram: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
        ],
        abResults: [ABResult(experiment: "sticky-vs-random", treatment: "sticky-artist", control: "random",
                             uplift: Uplift(relative: 0.2915, low: 0.2001, high: 0.3829, adjustedPValue: 0.0004),
                             sampleRatioMismatch: false)],
        histogramBucket: 0.5, mixedSessions: 2, baseline: "random")

    @Test(arguments: sizes + [(120, 30)])
    func statsScreen(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .command(.screen(.stats)), .statsLoaded(Self.stats))
        assertSnapshot(Self.render(state), named: "stats-\(w)x\(h)")
    }

    static let history = [
        HistorySession(id: 2, user: 7, strategy: "sticky-artist", source: .bot, startedAt: 1_700_003_600, plays: [
            Play(position: 0, track: 4, fraction: 1, outcome: .listened, recommendedBy: nil),
            Play(position: 1, track: 3, fraction: 0.35, outcome: .skipped, recommendedBy: "sticky-artist", liked: true),
            Play(position: 2, track: 2, fraction: 0.1, outcome: .abandoned, recommendedBy: "sticky-artist"),
        ]),
        HistorySession(id: 1, user: 7, strategy: "random", source: .human, startedAt: 1_700_000_000, plays: [
            Play(position: 0, track: 5, fraction: 1, outcome: .listened, recommendedBy: nil),
        ]),
    ]

    @Test(arguments: sizes)
    func historyScreen(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .command(.screen(.history)), .historyLoaded(Self.history))
        assertSnapshot(Self.render(state), named: "history-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func help(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .key(.char("?")))
        assertSnapshot(Self.render(state), named: "help-\(w)x\(h)")
    }

    /// The registry's real list with a CJK name: far too long for the status line at either size.
    static let longMessage = "unknown strategy 'ファースト・ラヴ' (one of: random, random-fresh, top-pop, sticky-artist, "
        + "sticky-artist-fresh, sticky-mixed, sticky-mixed-fresh, content-knn, i2i, i2i-fresh, markov, als, bandit, oracle)"

    /// Rows joined with single spaces, so text wrapped over several rows reads as one line.
    static func flowed(_ frame: ScreenBuffer) -> String {
        frame.lines.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// A message too long for the status line gets rows of its own just above it: none of it is cut.
    @Test(arguments: sizes)
    func longMessage(_ w: Int, _ h: Int) {
        var state = Self.playingState(width: w, height: h)
        state.screen = .nowPlaying
        state.message = Message(text: Self.longMessage, isError: true)
        let frame = Self.render(state)
        assertSnapshot(frame, named: "message-long-\(w)x\(h)")
        #expect(Self.flowed(frame).contains(Self.longMessage), "\(frame.lines.joined(separator: "\n"))")
        #expect(AppView.messageLines(state).allSatisfy { !$0.hasSuffix("…") && DisplayWidth.of($0) <= w - 2 })
        #expect(frame.lines.last?.hasPrefix(" strategy: in-order") == true)
    }

    /// The real failure path: the whole list of strategies shows, and a short message stays inline.
    @Test(arguments: sizes)
    func unknownStrategyMessageIsWhole(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .command(.strategy("no-such-strategy-with-a-long-name")))
        let text = try! #require(state.message?.text)
        #expect(Self.flowed(Self.render(state)).contains(text))
        state.message = Message(text: "ok", isError: false)
        let frame = Self.render(state)
        #expect(AppView.messageLines(state).isEmpty && frame.lines.last?.hasSuffix("│ ok") == true)
    }

    @Test func tooSmall() {
        let state = makeState(width: 30, height: 8)
        assertSnapshot(Self.render(state), named: "too-small-30x8")
    }

    @Test func tooSmallFitsTwentyBySix() {
        var state = makeState(width: 20, height: 6)
        apply(&state, .key(.enter))
        #expect(state.session == nil)
        let frame = Self.render(state)
        assertSnapshot(frame, named: "too-small-20x6")
        let text = frame.lines.joined(separator: "\n")
        #expect(text.contains("20×6") && text.contains("(q quits)") && text.contains("40×10"), "\(text)")
    }

    @Test func commandPromptShowsTheCursor() {
        var state = makeState(width: 40, height: 12)
        apply(&state, .key(.char(":")), .key(.char("s")), .key(.char("k")))
        let frame = Self.render(state)
        #expect(frame.lines.last == ":sk")
        #expect(frame.cursor == Position(x: 3, y: 11))
    }
}

@Suite struct BotSnapshotTests {
    @Test func nowPlayingShowsTheListenersPlan() {
        var state = makeState(width: 80, height: 24, source: .bot)
        apply(&state, .listenerStarts(3), .listenerDecides(fraction: 1, continues: true), .tick(now: state.now + 13))
        apply(&state, .listenerDecides(fraction: 0.3, continues: false), .tick(now: state.now + 2))
        state.screen = .nowPlaying
        assertSnapshot(AppView.render(state), named: "now-playing-bot-80x24")
    }
}

/// The screens in the README and docs/PLAYER.md are the golden files (scripts/readme-screens
/// copies each into the ```text block after its `<!-- screen: NAME -->` marker): a change to a
/// screen that leaves a page behind fails here, naming the script to run.
@Suite struct READMEScreenTests {
    static let pages = ["README.md", "docs/PLAYER.md"]
    /// The screens docs/PLAYER.md must show (one per screen of the player, and the bot).
    static let playerScreens = ["library-search-80x24", "library-80x24", "now-playing-80x24", "now-playing-bot-80x24",
                                "strategies-80x24", "stats-80x24", "history-80x24", "help-80x24", "now-playing-40x12",
                                "library-tree-80x24", "library-filtered-80x24", "history-reasons-80x24",
                                "bot-no-spoilers-80x24", "script-indicator-80x24", "stats-long-term-80x24",
                                "stats-long-term-40x12", "stats-long-term-empty-80x24"]

    @Test(arguments: pages)
    func everyMarkedScreenIsTheGoldenFile(_ page: String) throws {
        let text = try String(contentsOf: ConfigTests.repo.appendingPathComponent(page), encoding: .utf8)
        let blocks = Self.markedBlocks(text)
        #expect(!blocks.isEmpty, "\(page) shows no golden screen")
        for (name, shown) in blocks {
            #expect(shown == (try Self.collapsed(name)), "\(page) does not show \(name).txt; run scripts/readme-screens")
        }
    }

    @Test func thePlayerPageShowsEveryScreen() throws {
        let text = try String(contentsOf: ConfigTests.repo.appendingPathComponent("docs/PLAYER.md"), encoding: .utf8)
        #expect(Set(Self.markedBlocks(text).map(\.name)) == Set(Self.playerScreens))
    }

    /// (golden name, the text block after its marker) for every marker in `text`.
    static func markedBlocks(_ text: String) -> [(name: String, shown: String)] {
        var blocks: [(String, String)] = []
        var rest = text[...]
        while let marker = rest.range(of: "<!-- screen: ") {
            guard let close = rest[marker.upperBound...].range(of: " -->\n```text\n"),
                  let end = rest[close.upperBound...].range(of: "```") else { break }
            blocks.append((String(rest[marker.upperBound..<close.lowerBound]), String(rest[close.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return blocks
    }

    /// The golden frame as the pages show it: right edge and trailing blanks dropped, runs of
    /// blank rows as one "⋮" row.
    static func collapsed(_ name: String) throws -> String {
        let golden = try String(contentsOf: ConfigTests.repo.appendingPathComponent("Tests/TUITests/__Snapshots__/\(name).txt"),
                                encoding: .utf8)
        var rows: [String] = []
        for line in golden.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            var row = String(line.dropLast())  // the frame's right edge
            while row.last == " " { row.removeLast() }
            if row.isEmpty {
                if rows.last != "   ⋮" { rows.append("   ⋮") }
            } else {
                rows.append(row)
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }
}
