import Core
import Foundation
import Synchronization
import Terminal

/// The event loop: reads a key (or times out), turns it and the clock into actions, applies
/// `update`, performs the effects, and draws the frame. Background work (retraining, loading
/// stats) posts its results to a mailbox that the loop drains, so state only changes here.
public final class PlayerApp {
    public private(set) var state: AppState
    private let terminal: any Terminal
    private let clock: any PlaybackClock
    private let recorder: (any SessionRecorder)?
    private let data: (any PlayerDataSource)?
    private let bot: (any BotListener)?
    private var script: [Command]
    private let mailbox = Mailbox()
    /// The signal that ended the loop, if one did (the command exits with 128 + it).
    public private(set) var endingSignal: Int32?
    public let tickMilliseconds: Int

    public init(state: AppState, terminal: any Terminal, clock: any PlaybackClock, recorder: (any SessionRecorder)?,
                data: (any PlayerDataSource)?, bot: (any BotListener)? = nil, script: Script? = nil, tickMilliseconds: Int = 50) {
        self.state = state
        self.terminal = terminal
        self.clock = clock
        self.recorder = recorder
        self.data = data
        self.bot = bot
        self.script = script?.commands ?? []
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

    /// First frame, and in bot mode the listener's first session.
    public func start() {
        if let bot {
            state.screen = .nowPlaying
            dispatch(.listenerStarts(bot.beginSession()))
        }
        state.preparing.insert(state.activeStrategy)
        perform(.prepareStrategy(state.activeStrategy))
        if let data {
            let user = state.user
            background {
                let recent = try data.recentHistory(user: user, limit: 200)
                return .historyPreloaded(recent)
            }
        }
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
            dispatch(.command(script.removeFirst()))
        }
        draw()
    }

    public func dispatch(_ action: Action) {
        for effect in update(&state, action) { perform(effect) }
    }

    private func draw() {
        if terminal.size != state.size { state.size = terminal.size }
        terminal.draw(AppView.render(state))
    }

    private func perform(_ effect: Effect) {
        do {
            switch effect {
            case .beginSession(let user, let strategy, let source, let startedAt):
                try recorder?.beginSession(user: user, strategy: strategy, source: source, startedAt: startedAt)
            case .recordPlay(let play):
                try recorder?.record(play)
            case .endSession(let endedAt):
                try recorder?.endSession(endedAt: endedAt)
            case .trackStarted(let track):
                if let bot {
                    let decision = bot.hear(track)
                    dispatch(.listenerDecides(fraction: decision.fraction, continues: decision.continues))
                }
            case .sessionFinished:
                if let bot, !state.quitting { dispatch(.listenerStarts(bot.beginSession())) }
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
            case .prepareStrategy(let name):
                let provider = state.strategies
                background {
                    _ = provider.recommender(named: name)
                    return .strategyReady(name)
                }
            case .loadStats(let source, let baseline):
                guard let data else { return dispatch(.statsLoaded(StatsSnapshot(strategies: [], abResults: [], histogramBucket: 1))) }
                background { .statsLoaded(try data.stats(source: source, baseline: baseline)) }
            case .loadHistory(let before, let limit):
                guard let data else { return }
                background { .historyPageLoaded(try data.historyPage(before: before, limit: limit), before: before) }
            case .quit:
                break
            }
        } catch {
            dispatch(.failed("could not save: \(error)"))
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
