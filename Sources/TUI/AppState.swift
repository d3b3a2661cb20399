import Core
import Recommenders
import Synchronization
import Terminal

/// Playback speed: track seconds per wall-clock second. 21 plays a 3.5-minute track in 10 s.
public let defaultPlaybackSpeed = 21.0
public let playbackSpeedRange: ClosedRange<Double> = 1...1344

public struct LibraryState: Equatable, Sendable {
    public var query = ""
    public var filters = LibraryFilters()
    public var sort: SortKey = .popularity
    /// The sort key's order turned around (`sort reverse`, `sort KEY asc|desc`).
    public var reversed = false
    /// Every track in sort order, filter and search not applied.
    public var sorted: [TrackID] = []
    /// What the list shows.
    public var rows: [TrackID] = []
    public var cursor = 0
    /// The tree view (`tree`): the rows above grouped by artist and album; nil shows the list.
    public var tree: LibraryTree?
}

/// The track being heard.
public struct NowPlaying: Equatable, Sendable {
    public var track: TrackID
    public var position: Double
    public var duration: Double
    public var reason: String
    public var recommendedBy: String?
    public var latencyMicros: Float
    /// Played from the listener's queue (their own choice: `recommendedBy` is nil).
    public var fromQueue = false
    /// Bot mode: where the listener will move on (nil = to the end) and whether it keeps going after.
    public var stopAt: Double?
    public var continuesAfter = true
    /// Stretches of the track already played, merged, not counting the one in progress (which
    /// began at `playedFrom`): a seek closes it, so jumping ahead is never counted as heard.
    public var heardSpans: [ClosedRange<Double>] = []
    public var playedFrom = 0.0

    /// Seconds of the track actually played, each counted once however often it was replayed.
    public var heardSeconds: Double {
        mergedSpans.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
    }

    /// Whether every second up to `duration` was played (small gaps from rounding aside).
    public var heardWhole: Bool { heardSeconds >= duration - 0.5 }

    var mergedSpans: [ClosedRange<Double>] {
        NowPlaying.merge(heardSpans + [min(playedFrom, position)...max(playedFrom, position)])
    }

    /// Moves to `target` (clamped to the track): what was played so far stays counted once.
    public mutating func seek(to target: Double) {
        heardSpans = mergedSpans
        position = min(max(0, target), duration)
        playedFrom = position
    }

    static func merge(_ spans: [ClosedRange<Double>]) -> [ClosedRange<Double>] {
        var out: [ClosedRange<Double>] = []
        for span in spans.sorted(by: { $0.lowerBound < $1.lowerBound }) where span.upperBound > span.lowerBound {
            if let last = out.last, span.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, span.upperBound)
            } else {
                out.append(span)
            }
        }
        return out
    }
}

/// Bot mode's flash for skips: the fractions of the latest ones, shown until `until` (wall-clock
/// seconds, so it is as long to read at ×8 as at ×1).
public struct SkipCue: Equatable, Sendable {
    public var fractions: [Float]
    /// Skips folded into this cue (more than the fractions it keeps).
    public var count: Int
    public var leaves: Bool
    public var until: Double

    /// How long a cue stays after the latest skip, in wall-clock seconds.
    public static let hold = 2.5

    public var text: String {
        let shown = fractions.suffix(3).map { "\(Int(($0 * 100).rounded()))%" }.joined(separator: ", ")
        let head = count > 3 ? "\(count) skips: …, " : "skipped at "
        return head + shown + (leaves ? ", then left" : "")
    }
}

public struct SessionState: Equatable, Sendable {
    public var startedAt: Double
    public var strategy: String
    public var plays: [Play] = []
    public var current: NowPlaying?
    /// "Up next": the tracks that play, in order, if the current one and each of these is heard
    /// to the end (drawn ahead with the session's own generator and context; the first is kept
    /// in `AppState.drawnAhead` and played as drawn).
    public var candidates: [Recommendation] = []
    /// Whether the strategy behind `candidates` reads fractions, so that a skip may change them.
    public var upNextChangesOnSkip = false
    /// The strategy in charge answers only for plays that happened (a remote service takes each
    /// `/next` as a listen), so nothing is drawn ahead: it picks when the current track ends.
    public var upNextAskedAtEnd = false
    /// Strategies that were asked for a pick in this session (not the stand-in that picks
    /// while one is being built): each is told when the session ends (a remote one sends `/last`).
    public var askedStrategies: Set<String> = []
    public var liked: Set<TrackID> = []
    /// Set when the session is over; its plays stay on screen until the next one starts.
    public var endedAt: Double?

    public var length: Double { plays.reduce(0) { $0 + Double($1.fraction) } }
}

public enum Prompt: Equatable, Sendable {
    case search(LineEdit)
    case command(LineEdit)

    public var line: LineEdit {
        switch self {
        case .search(let l), .command(let l): l
        }
    }
}

/// The Stats screen's two views.
public enum StatsViewKind: String, Equatable, Sendable {
    case sessions
    case longTerm = "long-term"
}

public struct Message: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}

/// Everything on screen derives from this; `update` is the only code that changes it.
public struct AppState: Sendable {
    public let catalog: Catalog
    public let strategies: any StrategyProvider
    public var keymap: Keymap
    /// Clicks and the wheel act (config `[mouse] enabled`; the terminal reports them only then).
    public var mouse = true
    public var theme: Theme
    /// What bot mode shows: the listener's plan, the skip flash (config `[bot]`, `--no-spoilers`).
    public var bot = BotDisplay()
    /// Bot mode: the latest skips, flashed on the player bar while `now` is before its `until`.
    public var skipCue: SkipCue?
    /// A `--script` file driving the player: where it is (status line).
    public var script: ScriptProgress?
    public var user: Int64
    public var source: ListenerSource
    public var size: TerminalSize
    public var screen: Screen = .library
    public var library = LibraryState()
    public var session: SessionState?
    /// The listener's queue (`e` in the Library): these play next, in order, before the
    /// strategy picks again, and are recorded as the listener's own choice.
    public var queue: [TrackID] = []
    /// The queued track selected on Now Playing (`d` removes it, `K`/`J` move it).
    public var queueCursor = 0
    public var paused = false
    public var speed = defaultPlaybackSpeed
    public var activeStrategy: String
    /// Chosen while a track plays: takes over when the next track is picked.
    public var pendingStrategy: String?
    public var strategyCursor = 0
    /// The stage times of the recent picks of each staged strategy (the ranker), by name.
    public var stageTimings: [String: StageTimings] = [:]
    /// Background retraining: strategy name → progress 0…1.
    public var retraining: [String: Double] = [:]
    /// Strategies being built in the background.
    public var preparing: Set<String> = []
    /// Strategies built (by the runner, off the loop) and handed in by `strategyReady`: `update`
    /// draws only from these, so it never builds a model or reads the database itself.
    public var loaded: [String: any Recommender] = [:]
    /// The latest load asked for each strategy; an answer to an older one is dropped.
    public var loadGeneration: [String: Int] = [:]
    /// The latest `DrawRequest` sent; an answer to an older one is dropped.
    var drawTicket = 0
    public var modelStatus: [String: String] = [:]
    public var statsSource: ListenerSource?
    /// The strategy the Stats screen compares the others with; "random" (the course's baseline) until Enter picks another.
    public var statsBaseline: String? = "random"
    public var stats: StatsSnapshot?
    public var statsCursor = 0
    /// What the Stats screen shows: the session table, or the long-term runs (`L`).
    public var statsView: StatsViewKind = .sessions
    public var longTerm: LongTermSnapshot?
    /// The long-term run on screen, as a row of `longTerm.runs` (j/k pick another).
    public var longTermCursor = 0
    public var history: [HistorySession] = []
    public var historyCursor = 0
    /// The play selected within the selected session (Tab on History); nil while the cursor is on the sessions.
    public var historyPlayCursor: Int?
    /// Sessions stored in all; `history` holds the newest of them, loaded page by page.
    public var historyTotal = 0
    /// An older page is being read (one at a time).
    var historyLoading = false
    /// `G` on History: go on loading pages and put the cursor on the oldest session.
    var historyWantsOldest = false
    public var helpScroll = 0
    public var prompt: Prompt?
    /// Lines run at the `:` prompt, oldest first (↑/↓ recall them), at most `commandHistoryLimit`.
    public var commandHistory: [String] = []
    /// While recalling: the entry shown, and the line that was being typed before.
    var commandHistoryIndex: Int?
    var commandDraft = ""
    public var message: Message?
    public var rng: SeededGenerator
    /// Last clock reading, seconds since 1970.
    public var now: Double
    public var quitting = false
    /// Script files only: commands are held until this time.
    public var waitUntil: Double?
    /// The listener's plays from earlier sessions, oldest first, for recommenders that use history.
    public var recentHistory: [(track: TrackID, fraction: Float)] = []
    /// Whether the listener goes on after the play that just ended (bot mode decides; people do).
    var lastPlayContinues = true
    /// The next pick, drawn ahead as if the current track were heard to the end: `advance` plays
    /// it when that happens. Cleared and drawn again whenever what it depends on changes.
    var drawnAhead: DrawnPick?
    let search: SearchIndexHolder
    /// The Library tree's order of artists and albums, worked out on first use and kept.
    let treeOrder: TreeOrderHolder

    public init(catalog: Catalog, strategies: any StrategyProvider, keymap: Keymap = .defaults, theme: Theme = .defaults,
                user: Int64, source: ListenerSource, size: TerminalSize, seed: UInt64, now: Double, strategy: String? = nil) {
        precondition(!strategies.strategies.isEmpty, "at least one strategy")
        self.catalog = catalog
        self.strategies = strategies
        self.keymap = keymap
        self.theme = theme
        self.user = user
        self.source = source
        self.size = size
        self.rng = SeededGenerator(seed: seed, stream: UInt64(bitPattern: user))
        self.now = now
        activeStrategy = strategy ?? strategies.strategies[0].name
        search = SearchIndexHolder(catalog: catalog)
        treeOrder = TreeOrderHolder(catalog: catalog)
        library.sorted = LibraryOrder.sorted(catalog, by: library.sort)
        library.rows = library.sorted
        for s in strategies.strategies { modelStatus[s.name] = strategies.modelStatus(s.name) }
    }

    public var currentTrack: TrackID? { session?.current?.track }
}

/// The search index is built on first use (start-up does not pay for it) and shared, read-only.
final class SearchIndexHolder: Sendable {
    private let catalog: Catalog
    private let built = Mutex<SearchIndex?>(nil)
    init(catalog: Catalog) { self.catalog = catalog }
    var index: SearchIndex {
        built.withLock { box in
            if let index = box { return index }
            let index = SearchIndex(catalog: catalog)
            box = index
            return index
        }
    }
}

/// The same for the Library tree's order (`LibraryTree.Order`).
final class TreeOrderHolder: Sendable {
    private let catalog: Catalog
    private let built = Mutex<LibraryTree.Order?>(nil)
    init(catalog: Catalog) { self.catalog = catalog }
    var order: LibraryTree.Order {
        built.withLock { box in
            if let order = box { return order }
            let order = LibraryTree.Order(catalog)
            box = order
            return order
        }
    }
}
