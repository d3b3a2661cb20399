import Core
import Recommenders
import Terminal
import Testing
@testable import TUI

/// The standard strategies on the fixture catalog, every trainable one trained on a small
/// made-up log (so `i2i` and `i2i-fresh` draw anchors at random for real, `markov` follows
/// learned transitions).
final class StandardStrategies: StrategyProvider {
    let recommenders: [String: any Recommender]
    let names: [String]

    init() throws {
        let catalog = fixtureCatalog()
        var rng = SeededGenerator(seed: 9)
        let log = (0..<40).map { s in
            let tracks = (0..<6).map { _ in TrackID(rng.nextIndex(catalog.count)) }
            let fractions = tracks.map { _ in [Float(0.1), 0.5, 1, 1][rng.nextIndex(4)] }
            return ListeningSession(sessionID: Int64(s + 1), user: Int64(s % 5), tracks: tracks, fractions: fractions)
        }
        let registry = StrategyRegistry.standard
        var models: [String: TrainedModel] = [:]
        for s in registry.strategies { if let trainer = s.trainer { models[s.name] = try trainer.train(log, catalog: catalog) } }
        #expect(models["i2i"] != nil && models["markov"] != nil)
        let inputs = StrategyInputs(catalog: catalog, models: models)
        var built: [String: any Recommender] = [:]
        for s in registry.strategies { built[s.name] = try s.make(inputs) }
        recommenders = built
        names = registry.names
    }

    var strategies: [StrategyInfo] { names.map { StrategyInfo(name: $0, summary: recommenders[$0]!.summary, trainable: false) } }
    func recommender(named name: String) -> (any Recommender)? { recommenders[name] }
    func modelStatus(_ name: String) -> String { "test" }
    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String { "not here" }
}

/// Issue #16 item 1: "Up next" is what plays when each track is heard to the end.
@Suite struct UpNextTests {
    static let drawingAtRandom = ["random", "i2i", "i2i-fresh", "sticky-artist", "random-fresh"]

    static func playing(_ name: String) throws -> AppState {
        var state = makeState(strategies: try StandardStrategies())
        apply(&state, .command(.strategy(name)))
        apply(&state, ready(name, state), .command(.select))
        return state
    }

    static func hearToTheEnd(_ state: inout AppState) {
        let current = state.session!.current!
        apply(&state, .tick(now: state.now + (current.duration - current.position) / state.speed + 1))
    }

    @Test(arguments: drawingAtRandom)
    func upNextIsWhatPlaysWhenEveryTrackIsHeardToTheEnd(_ name: String) throws {
        var state = try Self.playing(name)
        let first = state.session!.candidates
        #expect(first.count == 5)
        for _ in 0..<8 {
            let preview = state.session!.candidates
            Self.hearToTheEnd(&state)
            #expect(state.session!.plays.last!.outcome == .listened)
            let now = try #require(state.session!.current)
            #expect(now.track == preview[0].track && now.reason == preview[0].reason && now.recommendedBy == name)
            // The rest of the list moves up: it was drawn for exactly this future.
            #expect(Array(state.session!.candidates.prefix(4)) == Array(preview.dropFirst()))
        }
        #expect(state.session!.plays[1...5].map(\.track) == first.map(\.track))
    }

    @Test func theFirstPreviewIsTheSameTrackListWhateverTheScreenShowedInBetween() throws {
        // Drawing ahead touches nothing: the session's generator moves only when a track is picked.
        var a = try Self.playing("random"), b = try Self.playing("random")
        let i2iReady = ready("i2i", b), randomReady = ready("random", b)
        apply(&b, .command(.screen(.strategies)), .command(.screen(.nowPlaying)), .command(.strategy("i2i")),
              i2iReady, .command(.strategy("random")), randomReady)
        #expect(b.session!.candidates == a.session!.candidates)
        for _ in 0..<5 { Self.hearToTheEnd(&a); Self.hearToTheEnd(&b) }
        #expect(a.session!.plays.map(\.track) == b.session!.plays.map(\.track))
    }

    @Test(arguments: ["random", "sticky-artist", "random-fresh", "markov"])
    func aStrategyBlindToFractionsKeepsItsPreviewThroughASkip(_ name: String) throws {
        var state = try Self.playing(name)
        for _ in 0..<4 {
            #expect(state.session!.upNextChangesOnSkip == false)
            let preview = state.session!.candidates
            apply(&state, .tick(now: state.now + 2), .command(.skip))
            #expect(state.session!.plays.last!.outcome == .skipped)
            #expect(state.session!.current!.track == preview[0].track)
        }
        state.screen = .nowPlaying
        #expect(AppView.render(state).lines.contains { $0.contains("Up next (\(name)):") })
    }

    @Test(arguments: ["i2i", "i2i-fresh"])
    func aStrategyThatReadsFractionsSaysSoAndDrawsAgainAfterASkip(_ name: String) throws {
        var state = try Self.playing(name)
        let recommender = state.strategies.recommender(named: name)!
        for _ in 0..<4 {
            #expect(state.session!.upNextChangesOnSkip)
            var rng = state.rng
            apply(&state, .tick(now: state.now + 2), .command(.skip))
            // The skip draws from the untouched generator with the session as it really went.
            let context = RecommendationContext(user: state.user, session: state.session!.plays.map { ($0.track, $0.fraction) },
                                                catalog: state.catalog)
            #expect(state.session!.current!.track == recommender.next(context, using: &rng).track)
            #expect(state.session!.current!.recommendedBy == name)
        }
        state.screen = .nowPlaying
        #expect(AppView.render(state).lines.contains { $0.contains("Up next (\(name); changes if you skip):") })
    }

    @Test func aFinishedRetrainRebuildsInTheBackgroundAndKeepsWhatIsShownUntilThen() throws {
        var state = try Self.playing("i2i")
        let preview = state.session!.candidates
        #expect(apply(&state, .retrainFinished("i2i", status: "trained")) == [.prepareStrategy("i2i", generation: 1)])
        #expect(state.session!.candidates == preview)
        Self.hearToTheEnd(&state)
        #expect(state.session!.current!.track == preview[0].track)
        #expect(apply(&state, .retrainFinished("i2i", status: "trained")).contains(.prepareStrategy("i2i", generation: 2)))
        #expect(state.session!.candidates.count == 5, "what is shown stays until the rebuild is in")
        apply(&state, ready("i2i", state))
        #expect(state.session!.candidates.count == 5)
    }

    @Test func aSwitchShowsTheNewStrategysPicksAndPlaysThem() throws {
        var state = try Self.playing("random")
        apply(&state, .command(.strategy("i2i")))
        apply(&state, ready("i2i", state))
        let preview = state.session!.candidates
        #expect(state.pendingStrategy == "i2i" && preview.count == 5)
        Self.hearToTheEnd(&state)
        #expect(state.session!.current!.track == preview[0].track && state.session!.current!.recommendedBy == "i2i")
    }
}

/// `readsFractions == false` is a promise: the pick is the same whatever the fractions.
@Suite struct OutcomeBlindnessTests {
    @Test func strategiesThatSayTheyIgnoreFractionsDo() throws {
        let provider = try StandardStrategies()
        let catalog = fixtureCatalog()
        let blind = provider.names.filter { !provider.recommenders[$0]!.readsFractions }
        #expect(Set(blind) == ["random", "random-fresh", "top-pop", "sticky-artist", "sticky-artist-fresh", "markov"])
        var shapes = SeededGenerator(seed: 3)
        for name in blind {
            let recommender = provider.recommenders[name]!
            for trial in 0..<200 {
                let played = (0..<(1 + shapes.nextIndex(8))).map { _ in TrackID(shapes.nextIndex(catalog.count)) }
                let fractions = played.map { _ in Float(shapes.nextIndex(101)) / 100 }
                let history = (0..<shapes.nextIndex(5)).map { _ in (TrackID(shapes.nextIndex(catalog.count)), Float(shapes.nextIndex(101)) / 100) }
                let skipped = RecommendationContext(user: 7, session: Array(zip(played, fractions)).map { ($0.0, $0.1) },
                                                    history: history, catalog: catalog)
                let heard = RecommendationContext(user: 7, session: played.map { ($0, Float(1)) },
                                                  history: history.map { ($0.0, Float(1)) }, catalog: catalog)
                var a = SeededGenerator(seed: 100, stream: UInt64(trial)), b = a
                #expect(recommender.next(skipped, using: &a) == recommender.next(heard, using: &b), "\(name) trial \(trial)")
                #expect(a.next() == b.next(), "\(name) trial \(trial): the generators parted")
            }
        }
    }
}

@Suite struct UpNextSnapshotTests {
    /// i2i reads fractions: the heading warns that a skip may change the list.
    @Test func nowPlayingSaysWhenASkipMayChangeUpNext() throws {
        var state = makeState(width: 80, height: 24, strategies: try StandardStrategies())
        state.library.cursor = state.library.rows.firstIndex(of: 3)!  // First Love — 宇多田ヒカル
        apply(&state, .command(.strategy("i2i")))
        apply(&state, ready("i2i", state), .command(.select), .tick(now: state.now + 13))
        apply(&state, .tick(now: state.now + 3))
        state.message = nil
        state.screen = .nowPlaying
        assertSnapshot(AppView.render(state), named: "now-playing-upnext-changes-80x24")
    }
}
