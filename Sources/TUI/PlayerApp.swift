import Core
import Foundation
import Synchronization
import Terminal

/// The runner (docs/ARCHITECTURE.md §6): reads a key (or times out), turns it and the clock into
/// actions, applies `update` to one action at a time from a queue, performs the effects it
/// returns and queues their results as actions, then draws the frame. Effects never call
/// `update` themselves (no re-entrance): quick ones (timing a recommender's pick, a bot's
/// decision) queue their answer at once, slow ones (building a strategy, retraining, reading
/// stats) run on their own thread and post it to a mailbox that each turn drains. Only
/// `update` changes the state.
public final class PlayerApp {
    public private(set) var state: AppState
    private let terminal: any Terminal
    private let clock: any PlaybackClock
    private let stopwatch: any Stopwatch
    private let recorder: (any SessionRecorder)?
    private let data: (any PlayerDataSource)?
    private let bot: (any BotListener)?
    private var script: [Command]
    /// The file lines of `script`'s commands, and the file's length (the status line's "script: line 12/40").
    private var scriptLines: [Int]
    private let scriptLineCount: Int
    private let mailbox = Mailbox()
    /// Actions waiting for `update`, oldest first.
    private var queue: [Action] = []
    private var dispatching = false
    /// The signal that ended the loop, if one did (the command exits with 128 + it).
    public private(set) var endingSignal: Int32?
    public let tickMilliseconds: Int

    public init(state: AppState, terminal: any Terminal, clock: any PlaybackClock, stopwatch: any Stopwatch = SystemStopwatch(),
                recorder: (any SessionRecorder)?, data: (any PlayerDataSource)?, bot: (any BotListener)? = nil,
                script: Script? = nil, tickMilliseconds: Int = 50) {
        self.state = state
        self.terminal = terminal
        self.clock = clock
        self.stopwatch = stopwatch
        self.recorder = recorder
        self.data = data
        self.bot = bot
        self.script = script?.commands ?? []
        scriptLines = script?.lines ?? []
        scriptLineCount = script?.lineCount ?? 0
        self.tickMilliseconds = tickMilliseconds
        self.state.size = terminal.size
        self.state.now = clock.now()
    }

    /// Runs until the listener quits (q, `quit`, a signal), then restores the terminal.
    public func run() {
        start()
        while !state.quitting {
            step(key: terminal.readKey(timeoutMilliseconds: tickMilliseconds))
        }
        terminal.shutdown()
    }

    /// First frame; the strategy in charge starts building, and in bot mode the listener's
    /// first session begins.
    public func start() {
        dispatch(.launch(bot: bot != nil))
        draw()
    }

    /// One turn of the loop; tests call it directly with the key they want.
    public func step(key: Key?) {
        switch key {
        case .resize?: dispatch(.resize(terminal.size))
        case .signal(let s)?:
            endingSignal = s
            dispatch(.key(.signal(s)))
        case let k?: dispatch(.key(k))
        case nil: break
        }
        dispatch(.tick(now: clock.now()))
        for action in mailbox.drain() { dispatch(action) }
        while !script.isEmpty, state.waitUntil == nil, state.prompt == nil, !state.quitting {
            if !scriptLines.isEmpty { dispatch(.scriptProgress(line: scriptLines.removeFirst(), of: scriptLineCount)) }
            dispatch(.command(script.removeFirst()))
        }
        if script.isEmpty, state.script?.line != nil, state.waitUntil == nil {
            dispatch(.scriptProgress(line: nil, of: scriptLineCount))
        }
        draw()
    }

    /// Queues `action` and, unless `update` is already running further up the stack, applies
    /// the queue in order, the effects' answers included.
    public func dispatch(_ action: Action) {
        queue.append(action)
        guard !dispatching else { return }
        dispatching = true
        defer { dispatching = false }
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in update(&state, next) { perform(effect) }
        }
    }

    private func draw() {
        if terminal.size != state.size { dispatch(.resize(terminal.size)) }
        terminal.draw(AppView.render(state))
    }

    private func perform(_ effect: Effect) {
        do {
            switch effect {
            case .beginSession(let user, let strategy, let source, let startedAt):
                try recorder?.beginSession(user: user, strategy: strategy, source: source, startedAt: startedAt)
            case .recordPlay(let play, let reason):
                try recorder?.record(play, reason: reason)
            case .endSession(let endedAt):
                try recorder?.endSession(endedAt: endedAt)
            case .tellSessionEnded(let notice):
                // On the loop, not in the background: quitting must not outrun the `/last` call
                // (bounded by the remote strategy's timeout).
                notice.perform()
            case .trackStarted(let track):
                if let bot {
                    let decision = bot.hear(track)
                    queue.append(.listenerDecides(fraction: decision.fraction, continues: decision.continues))
                }
            case .sessionFinished:
                if let bot, !state.quitting { queue.append(.listenerStarts(bot.beginSession())) }
            case .recommend(let request):
                queue.append(request.perform(stopwatch: stopwatch))
            case .retrain(let name):
                let provider = state.strategies
                let mailbox = mailbox
                background {
                    do {
                        let status = try provider.retrain(name) { p in mailbox.post(.retrainProgress(name, p)) }
                        return .retrainFinished(name, status: status)
                    } catch {
                        return .retrainFailed(name, error: "\(error)")
                    }
                }
            case .prepareStrategy(let name, let generation):
                let provider = state.strategies
                background { .strategyReady(name, provider.recommender(named: name), generation: generation) }
            case .loadRecentHistory(let user, let limit):
                guard let data else { return }
                background { .historyPreloaded(try data.recentHistory(user: user, limit: limit)) }
            case .loadStats(let source, let baseline):
                guard let data else { return queue.append(.statsLoaded(StatsSnapshot(strategies: [], abResults: [], histogramBucket: 1))) }
                background { .statsLoaded(try data.stats(source: source, baseline: baseline)) }
            case .loadLongTerm(let selected):
                guard let data else { return queue.append(.longTermLoaded(LongTermSnapshot(runs: [], selected: nil))) }
                background { .longTermLoaded(try data.longTerm(selected: selected)) }
            case .loadHistory(let before, let limit):
                guard let data else { return }
                background { .historyPageLoaded(try data.historyPage(before: before, limit: limit), before: before) }
            case .quit:
                break
            }
        } catch {
            queue.append(.failed("could not save: \(error)"))
        }
    }

    /// Runs `work` off the loop; its action (or its error) comes back through the mailbox.
    private func background(_ work: @escaping @Sendable () throws -> Action) {
        let mailbox = mailbox
        let thread = Thread {
            do { mailbox.post(try work()) } catch { mailbox.post(.failed("\(error)")) }
        }
        thread.start()
    }

    /// Applies background results as they arrive until `done` holds or `timeout` seconds pass.
    /// For tests: background work (strategy builds, stats, retraining) posts in any order and,
    /// on a loaded machine, late, so waiting for "some result" is not enough.
    public func settle(timeout: Double = 60, until done: (AppState) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        step(key: nil)
        while !done(state) && Date() < deadline {
            usleep(2_000)
            step(key: nil)
        }
    }
}

private final class Mailbox: Sendable {
    private let actions = Mutex<[Action]>([])
    func post(_ action: Action) { actions.withLock { $0.append(action) } }
    func drain() -> [Action] { actions.withLock { box in defer { box.removeAll() }; return box } }
    var isEmpty: Bool { actions.withLock { $0.isEmpty } }
}
