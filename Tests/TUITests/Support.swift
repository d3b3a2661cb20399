import Core
import Foundation
import Recommenders
import Terminal
@testable import TUI

/// A small catalog with the rows that break naive alignment: CJK, accents, long names.
func fixtureCatalog() -> Catalog {
    let rows: [(String, String, String, String, Int16, Float, Float)] = [
        ("Bohemian Rhapsody", "Queen", "A Night at the Opera", "rock", 1975, 354, 90),
        ("Don't Stop Me Now", "Queen", "Jazz", "rock", 1978, 209, 85),
        ("Déjà Vu", "Beyoncé", "B'Day", "r&b", 2006, 240, 70),
        ("First Love", "宇多田ヒカル", "First Love", "pop", 1999, 260, 75),
        ("東京フラワー", "ヨルシカ", "盗作", "pop", 2020, 215, 60),
        ("Eres", "Café Tacvba", "Cuatro Caminos", "latin", 2003, 230, 55),
        ("Árboles de la Barranca", "Natalia Lafourcade", "Hasta la Raíz", "latin", 2015, 200, 50),
        ("Blue in Green", "Miles Davis", "Kind of Blue", "jazz", 1959, 337, 65),
        ("A Very Long Title That Will Certainly Not Fit In Any Column At All", "Somebody With A Long Name", "An Album", "edm", 2019, 185, 40),
        ("Strobe", "deadmau5", "For Lack of a Better Name", "edm", 2009, 634, 62),
        ("Hey Jude", "The Beatles", "Hey Jude", "rock", 1968, 431, 80),
        ("Nothing Else", "Quiet Artist", "", "", 0, 0, 0),
    ]
    var artists: [String] = []
    var genres: [String] = []
    var artistOf: [Int32] = []
    var genreIDs: [Int32] = []
    var genreOffsets: [Int32] = [0]
    for r in rows {
        if !artists.contains(r.1) { artists.append(r.1) }
        artistOf.append(Int32(artists.firstIndex(of: r.1)!))
        if !r.3.isEmpty {
            if !genres.contains(r.3) { genres.append(r.3) }
            genreIDs.append(Int32(genres.firstIndex(of: r.3)!))
        }
        genreOffsets.append(Int32(genreIDs.count))
    }
    return Catalog(source: "fixture", titles: rows.map(\.0), albums: rows.map(\.2), artistNames: artists, artistOfTrack: artistOf,
                   years: rows.map(\.4), durations: rows.map(\.5), popularity: rows.map(\.6),
                   genreNames: genres, genreOffsets: genreOffsets, genreIDs: genreIDs,
                   subgenreNames: [], subgenreOffsets: Array(repeating: 0, count: rows.count + 1), subgenreIDs: [], features: [])
}

/// Picks the lowest-numbered unplayed track: predictable, so screens and tests are stable.
struct InOrderRecommender: Recommender {
    let name = "in-order"
    let summary = "the next unplayed track by catalog order (test strategy)"
    var readsFractions: Bool { false }
    func next(_ context: RecommendationContext, using rng: inout SeededGenerator) -> Recommendation {
        let t = context.catalog.trackIDs.first { !context.played($0) } ?? 0
        return Recommendation(track: t, reason: "next in catalog order")
    }
}

/// Strategies for tests: two real recommenders and one trainable entry whose training reports
/// progress and succeeds or fails on demand.
final class TestStrategies: StrategyProvider {
    let failTraining: Bool
    init(failTraining: Bool = false) { self.failTraining = failTraining }

    var strategies: [StrategyInfo] {
        [StrategyInfo(name: "in-order", summary: InOrderRecommender().summary, trainable: false),
         StrategyInfo(name: "random", summary: RandomRecommender().summary, trainable: false),
         StrategyInfo(name: "trained-order", summary: "in order, after training (test strategy)", trainable: true)]
    }

    func recommender(named name: String) -> (any Recommender)? {
        switch name {
        case "in-order", "trained-order": InOrderRecommender()
        case "random": RandomRecommender()
        default: nil
        }
    }

    func modelStatus(_ name: String) -> String { name == "trained-order" ? "not trained yet" : "no model needed" }

    func retrain(_ name: String, progress: @escaping @Sendable (Double) -> Void) throws -> String {
        progress(0.5)
        if failTraining { throw CommandError("no logged sessions to learn from") }
        progress(1)
        return "trained on 3 sessions"
    }
}

/// Keeps what the player records, the way the database would receive it.
final class MemoryRecorder: SessionRecorder {
    var sessions: [SessionLog] = []
    var open: SessionLog?

    func beginSession(user: Int64, strategy: String, source: ListenerSource, startedAt: Double) throws {
        precondition(open == nil, "a session is already open")
        open = SessionLog(user: user, strategy: strategy, source: source, startedAt: startedAt, endedAt: startedAt, plays: [])
    }

    /// Each play's reason, in the order recorded.
    var reasons: [String?] = []

    func record(_ play: Play, reason: String?) throws {
        precondition(open != nil, "no open session")
        open!.plays.append(play)
        reasons.append(reason)
    }

    func endSession(endedAt: Double) throws {
        precondition(open != nil, "no open session")
        open!.endedAt = endedAt
        sessions.append(open!)
        open = nil
    }
}

struct FixedData: PlayerDataSource {
    var snapshot: StatsSnapshot
    var sessions: [HistorySession]
    var longTermRuns: [LongTermRun] = []
    func stats(source: ListenerSource?, baseline: String?) throws -> StatsSnapshot { snapshot }
    func longTerm(selected: Int64?) throws -> LongTermSnapshot {
        let headers = longTermRuns.map { run in
            var header = run
            header.daily = []
            header.totals = []
            return header
        }
        return LongTermSnapshot(runs: headers, selected: longTermRuns.first { $0.id == selected } ?? longTermRuns.first)
    }
    func history(limit: Int) throws -> [HistorySession] { sessions }
    func recentHistory(user: Int64, limit: Int) throws -> [(track: TrackID, fraction: Float)] { [] }
}

/// Times every pick at the same 12 µs, so screens showing the latency are stable.
struct FixedStopwatch: Stopwatch {
    var micros: Float = 12
    func time<T>(_ body: () -> T) -> (result: T, micros: Float) { (body(), micros) }
}

/// A state whose strategy in charge is built, as the runner leaves it once its first load is in.
func makeState(width: Int = 80, height: Int = 24, strategies: any StrategyProvider = TestStrategies(),
               source: ListenerSource = .human) -> AppState {
    var state = AppState(catalog: fixtureCatalog(), strategies: strategies, user: 7, source: source,
                         size: TerminalSize(width: width, height: height), seed: 42, now: 1_700_000_000)
    state.loaded[state.activeStrategy] = strategies.recommender(named: state.activeStrategy)
    return state
}

/// The runner's answer to the newest load of `name` (built by the test's provider now).
func ready(_ name: String, _ state: AppState) -> Action {
    .strategyReady(name, state.strategies.recommender(named: name), generation: state.loadGeneration[name, default: 0])
}

/// Applies actions the way the runner does, one at a time from a queue: the recommender picks
/// that `update` asks for are performed (timed by `FixedStopwatch`) and their answers queued;
/// every other effect is only collected. Returns every effect, in order.
@discardableResult
func apply(_ state: inout AppState, _ actions: Action...) -> [Effect] {
    var queue = actions
    var all: [Effect] = []
    while !queue.isEmpty {
        let effects = update(&state, queue.removeFirst())
        all += effects
        for case .recommend(let request) in effects { queue.append(request.perform(stopwatch: FixedStopwatch())) }
    }
    return all
}

func recordedPlays(_ effects: [Effect]) -> [Play] {
    effects.compactMap { if case .recordPlay(let p, _) = $0 { p } else { nil } }
}
