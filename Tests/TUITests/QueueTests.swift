import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 2: the listener's queue plays before the strategy's picks, as their own choice.
@Suite struct QueueTests {
    /// Playing the Library's first row, with "Blue in Green" (7) and "Eres" (5) queued.
    static func playingWithTwoQueued(width: Int = 80, height: Int = 24) -> AppState {
        var state = makeState(width: width, height: height)
        apply(&state, .command(.select))
        apply(&state, .command(.screen(.library)))
        for track: TrackID in [7, 5] {
            state.library.cursor = state.library.rows.firstIndex(of: track)!
            apply(&state, .key(.char("e")))
        }
        return state
    }

    @Test func queuedTracksPlayFirstAsTheListenersOwnChoiceThenTheStrategyPicks() {
        var state = Self.playingWithTwoQueued()
        #expect(state.queue == [7, 5] && state.message?.text == "queued Eres (2 in the queue)")
        // Up next is the strategy's picks after the queue, drawn with the queue heard first.
        let preview = state.session!.candidates.map(\.track)
        #expect(!preview.contains(7) && !preview.contains(5))
        let skip = apply(&state, .command(.skip))
        #expect(!skip.contains { if case .recommend(let r) = $0 { r.purpose == .play } else { false } }, "a queued track needs no pick")
        #expect(state.currentTrack == 7 && state.session?.current?.recommendedBy == nil && state.session?.current?.fromQueue == true)
        #expect(state.session?.current?.reason == "from your queue" && state.queue == [5])
        UpNextTests.hearToTheEnd(&state)
        #expect(state.currentTrack == 5 && state.session?.current?.recommendedBy == nil && state.queue.isEmpty)
        UpNextTests.hearToTheEnd(&state)
        #expect(state.session?.current?.recommendedBy == "in-order")
        #expect(state.currentTrack == preview[0], "what Up next showed behind the queue is what played")
        let plays = state.session!.plays
        #expect(plays.map(\.track).suffix(2) == [7, 5] && plays.suffix(2).allSatisfy { $0.recommendedBy == nil })
    }

    @Test func theQueueIsReorderedAndTrimmedOnNowPlaying() {
        var state = Self.playingWithTwoQueued()
        apply(&state, .key(.char("e")))  // Eres again
        #expect(state.queue == [7, 5, 5])
        apply(&state, .key(.char("d")))
        #expect(state.message?.text == "select a queued track on Now Playing (2) to remove it" && state.queue.count == 3)
        apply(&state, .key(.char("2")), .key(.char("j")), .key(.char("K")))
        #expect(state.queue == [5, 7, 5] && state.queueCursor == 0)
        apply(&state, .key(.char("j")), .key(.char("J")), .key(.char("J")))  // the 7 to the end, and no further
        #expect(state.queue == [5, 5, 7] && state.queueCursor == 2)
        apply(&state, .key(.char("d")))
        #expect(state.queue == [5, 5] && state.queueCursor == 1)
        apply(&state, .command(try! Command.parse("queue clear")))
        #expect(state.queue.isEmpty && state.session!.candidates.count == 5)
    }

    @Test func aSkipToTheQueueKeepsTheStrategysGeneratorWhereItWas() {
        var state = Self.playingWithTwoQueued()
        var before = state.rng
        apply(&state, .command(.skip), .command(.skip))
        var after = state.rng
        #expect((0..<4).map { _ in before.next() } == (0..<4).map { _ in after.next() })
    }

    @Test(arguments: ScreenSnapshotTests.sizes)
    func nowPlayingShowsTheQueue(_ w: Int, _ h: Int) {
        var state = Self.playingWithTwoQueued(width: w, height: h)
        apply(&state, .command(.screen(.nowPlaying)), .tick(now: state.now + 3))
        state.message = nil
        assertSnapshot(AppView.render(state), named: "now-playing-queue-\(w)x\(h)")
    }
}
