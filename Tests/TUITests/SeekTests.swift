import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 3: a click on a progress bar seeks; a seek never counts what it jumped over
/// as heard (the recorded fraction is the share of the track played, each second once).
@Suite struct SeekTests {
    /// Bohemian Rhapsody (5:54 = 354 s) playing from 0 at the normal speed (21 track s per wall s).
    static func playing(width: Int = 80, height: Int = 24) -> AppState {
        var state = makeState(width: width, height: height)
        apply(&state, .command(.select))
        #expect(state.catalog.duration(state.currentTrack!) == 354)
        return state
    }

    static func lastPlay(_ effects: [Effect]) -> Play? { recordedPlays(effects).last }

    /// `seconds` of the 354-second track as the recorded fraction (two decimals).
    static func share(_ seconds: Double) -> Float { Float((seconds / 354 * 100).rounded() / 100) }

    @Test func jumpingAheadIsNotHeard() {
        var state = Self.playing()
        apply(&state, .tick(now: state.now + 2))  // 42 s heard
        apply(&state, .command(Command("seek to", .number(80))), .tick(now: state.now + 1))  // 283.2 → 304.2
        let play = Self.lastPlay(apply(&state, .command(.skip)))
        #expect(play?.outcome == .skipped)
        #expect(play?.fraction == Self.share(42 + 21))  // 0.18, not 0.86
    }

    @Test func reachingTheEndAfterASeekAheadIsASkipOfWhatWasHeard() {
        var state = Self.playing()
        apply(&state, .tick(now: state.now + 1), .command(Command("seek to", .number(90))))
        let effects = apply(&state, .tick(now: state.now + 2))  // 318.6 + 42: the end
        let play = Self.lastPlay(effects)
        let heard = 21 + 354 - 318.6
        #expect(play?.outcome == .skipped && play?.fraction == Self.share(heard))
        #expect(state.session?.plays.count == 1 && state.currentTrack != nil, "the strategy picked the next")
    }

    @Test func replayingCountsEachSecondOnceAndAllOfItIsAListen() {
        var state = Self.playing()
        apply(&state, .tick(now: state.now + 4))  // 0…84
        apply(&state, .command(.seek(-60)), .tick(now: state.now + 2))  // 24…66, inside what was heard
        #expect(abs(state.session!.current!.heardSeconds - 84) < 1e-9)
        let skip = Self.lastPlay(apply(&state, .command(.skip)))
        #expect(skip?.fraction == Self.share(84))
        // A play sought only backwards and heard to the end is heard whole: listened, 1.0.
        apply(&state, .tick(now: state.now + 1), .command(.seek(-10)))
        let end = Self.lastPlay(apply(&state, .tick(now: state.now + 30)))
        #expect(end?.outcome == .listened && end?.fraction == 1)
    }

    @Test(arguments: ["seek to 50", "seek to 50%", "seek to 0", "seek to 100"])
    func seekToParses(_ text: String) throws {
        let command = try Command.parse(text)
        #expect(command.name == "seek to")
        #expect(try Command.parse(command.text) == command)
    }

    @Test(arguments: ["seek to", "seek to 101", "seek to -1", "seek to half", "seek to nan"])
    func badSeekToIsRefused(_ text: String) {
        #expect(throws: CommandError.self) { try Command.parse(text) }
    }

    /// The columns of the progress bar drawn on row `y`, as the listener sees them.
    static func barColumns(_ state: AppState, row y: Int) -> Range<Int> {
        let buffer = AppView.render(state)
        let xs = (0..<buffer.width).filter { ["█", "░"].contains(buffer[$0, y].text) }
        return xs.first!..<(xs.last! + 1)
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func aClickOnThePlayerBarSeeksThere(_ w: Int, _ h: Int) {
        var state = Self.playing(width: w, height: h)
        state.screen = .library
        let y = h - 2
        let bar = Self.barColumns(state, row: y)
        // The cell three quarters along: the track moves to that cell's middle.
        let x = bar.lowerBound + bar.count * 3 / 4
        apply(&state, MouseTests.click(x, y))
        let expected = (Double(x - bar.lowerBound) + 0.5) / Double(bar.count) * 354
        #expect(abs(state.session!.current!.position - expected) < 1e-9)
        #expect(state.screen == .library && state.library.cursor == 0, "nothing else moved")
        // Honest afterwards: skipping now records nothing of the jump.
        #expect(Self.lastPlay(apply(&state, .command(.skip)))?.fraction == 0)
    }

    @Test func aClickOnNowPlayingsBarSeeksThere() {
        var state = Self.playing()
        #expect(state.screen == .nowPlaying)
        let bar = Self.barColumns(state, row: 3)
        apply(&state, MouseTests.click(bar.lowerBound, 3))
        #expect(abs(state.session!.current!.position - 0.5 / Double(bar.count) * 354) < 1e-9)
        apply(&state, MouseTests.click(bar.upperBound - 1, 3))
        #expect(abs(state.session!.current!.position - (Double(bar.count) - 0.5) / Double(bar.count) * 354) < 1e-9)
        // Beside the bar (the time after it): nothing.
        let before = state.session!.current!.position
        apply(&state, MouseTests.click(bar.upperBound + 2, 3))
        #expect(state.session!.current!.position == before)
    }
}
