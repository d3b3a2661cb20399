import Core
import Recommenders
import Terminal

/// The one place state changes (Elm style): apply `action`, return the side effects to perform.
public func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    var effects: [Effect] = []
    switch action {
    case .key(let key):
        handle(key: key, &state, &effects)
    case .command(let command):
        // A script's `wait` is time to read what the command before it said.
        if command.name != "wait" { state.message = nil }
        run(command, &state, &effects)
    case .tick(let now):
        advanceClock(to: now, &state, &effects)
    case .resize(let size):
        state.size = size
        clampCursors(&state)
    case .listenerStarts(let track):
        startSession(with: track, reason: "the listener's own pick", &state, &effects)
    case .listenerDecides(let fraction, let continues):
        guard var current = state.session?.current else { break }
        current.stopAt = fraction >= 1 ? nil : Double(max(0, fraction)) * current.duration
        current.continuesAfter = continues
        state.session?.current = current
    case .launch(let bot):
        if bot {
            state.screen = .nowPlaying
            effects.append(.sessionFinished)
        }
        ensureLoaded(state.activeStrategy, &state, &effects)
        effects.append(.loadRecentHistory(user: state.user, limit: listenerHistoryLimit))
    case .strategyReady(let name, let recommender, let generation):
        // An answer to an older load (one asked before a retrain) never replaces a newer one.
        guard generation == state.loadGeneration[name, default: 0] else { break }
        state.preparing.remove(name)
        guard let recommender else {
            state.loaded[name] = nil
            fail("strategy \(name) could not be built: the baseline picks meanwhile", &state)
            break
        }
        state.loaded[name] = recommender
        if name == (state.pendingStrategy ?? state.activeStrategy) { refreshCandidates(&state, &effects) }
    case .drawn(let ticket, let picks):
        drawn(ticket: ticket, picks, &state, &effects)
    case .retrainProgress(let name, let p):
        if state.retraining[name] != nil { state.retraining[name] = p }
    case .retrainFinished(let name, let status):
        state.retraining[name] = nil
        state.modelStatus[name] = status
        modelsChanged(&state, &effects)
        state.message = Message(text: "\(name): \(status)", isError: false)
    case .retrainFailed(let name, let error):
        state.retraining[name] = nil
        state.message = Message(text: "retraining \(name) failed: \(error)", isError: true)
    case .statsLoaded(let snapshot):
        state.stats = snapshot
        clampCursors(&state)
    case .longTermLoaded(let snapshot):
        state.longTerm = snapshot
        // The cursor follows the run the answer holds, so the highlighted run is the one drawn.
        if let id = snapshot.selected?.id, let row = snapshot.runs.firstIndex(where: { $0.id == id }) { state.longTermCursor = row }
        clampCursors(&state)
    case .historyLoaded(let sessions):
        state.history = sessions
        state.historyTotal = sessions.count
        state.historyLoading = false
        clampCursors(&state)
    case .historyPageLoaded(let page, let before):
        historyPageLoaded(page, before: before, &state, &effects)
    case .historyPreloaded(let plays):
        state.recentHistory = plays + state.recentHistory
        refreshCandidates(&state, &effects)
    case .scriptProgress(let line, let count):
        state.script = ScriptProgress(line: line, lineCount: count)
    case .failed(let text):
        state.historyLoading = false
        state.historyWantsOldest = false
        state.message = Message(text: text, isError: true)
    }
    return effects
}

// MARK: keys and the prompt

private func handle(key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
    if case .signal = key {
        run(Command("quit"), &state, &effects)
        return
    }
    // Too small means inert: behind "Terminal too small" only q (and the key bound to quit)
    // acts; a resize arrives as its own action.
    if state.isTooSmall {
        if key == .char("q") || state.keymap[key]?.name == "quit" { run(Command("quit"), &state, &effects) }
        return
    }
    if case .mouse(let event) = key {
        if state.prompt == nil, state.mouse { mouse(event, &state, &effects) }
        return
    }
    guard let prompt = state.prompt else {
        if let command = state.keymap[key] {
            state.message = nil
            run(treeCommand(for: command, state) ?? command, &state, &effects)
        }
        return
    }
    handlePrompt(prompt, key: key, &state, &effects)
}

/// A click on a tab shows its screen; on a row of the Library, Strategies or History selects it
/// (a double click acts as Enter); on a progress bar seeks; the wheel scrolls whatever list is
/// on screen, three rows a notch.
private func mouse(_ event: MouseEvent, _ state: inout AppState, _ effects: inout [Effect]) {
    state.message = nil
    switch event.kind {
    case .wheelUp: move(by: -3, &state, &effects)
    case .wheelDown: move(by: 3, &state, &effects)
    case .click, .doubleClick:
        if event.y == 0, let screen = AppView.tab(atColumn: event.x, state) { return show(screen, &state, &effects) }
        // A progress bar (the player bar's, or Now Playing's): the track moves to that point,
        // the middle of the clicked cell.
        let bars = [AppView.playerBar(state), NowPlayingView.progressBar(state, in: AppView.body(state))].compactMap { $0 }
        if let current = state.session?.current, let bar = bars.first(where: { $0.y == event.y && $0.bar.contains(event.x) }) {
            let fraction = (Double(event.x - bar.bar.lowerBound) + 0.5) / Double(bar.bar.count)
            return seek(to: fraction * current.duration, &state)
        }
        switch state.screen {
        case .library:
            guard let row = LibraryView.row(atLine: event.y, state) else { return }
            if state.library.tree != nil { state.library.tree!.cursor = row } else { state.library.cursor = row }
        case .strategies:
            guard let row = StrategiesView.row(atLine: event.y, state) else { return }
            state.strategyCursor = row
        case .history:
            switch HistoryView.target(atLine: event.y, state) {
            case .session(let i)?:
                // Back in the sessions, as Tab from the plays.
                state.historyPlayCursor = nil
                state.historyCursor = i
                loadOlderSessionsIfNeeded(&state, &effects)
            case .play(let i)?:
                // Selected only: Enter on a play would take the cursor back to the sessions.
                state.historyPlayCursor = i
                return
            case nil:
                return
            }
        default:
            return
        }
        // A double click acts as Enter: plays a Library row, switches to a strategy, opens a session's plays.
        if event.kind == .doubleClick { select(&state, &effects) }
    }
}

// MARK: commands

/// `speed N` sets, `speed +` / `speed -` multiply; both stay within `playbackSpeedRange`.
func setSpeed(_ speed: Double, _ state: inout AppState) {
    state.speed = min(max(speed, playbackSpeedRange.lowerBound), playbackSpeedRange.upperBound)
    note("speed ×\(formatSpeed(state.speed / defaultPlaybackSpeed)) (a 3:30 track takes \(formatClock(210 / state.speed)))", &state)
}

/// Runs `command` through its entry in `CommandTable`.
func run(_ command: Command, _ state: inout AppState, _ effects: inout [Effect]) {
    guard let spec = CommandTable.spec(named: command.name) else {
        return fail("unknown command '\(command.name)'", &state)
    }
    spec.run(command.argument, &state, &effects)
}

func note(_ text: String, _ state: inout AppState) { state.message = Message(text: text, isError: false) }
func fail(_ text: String, _ state: inout AppState) { state.message = Message(text: text, isError: true) }

func show(_ screen: Screen, _ state: inout AppState, _ effects: inout [Effect]) {
    state.screen = screen
    switch screen {
    case .stats: loadStatsView(state, &effects)
    case .history: effects.append(.loadHistory(before: nil, limit: historyPageSize))
    default: break
    }
}

/// Reads what the Stats screen's view shows: the session table, or the long-term runs with the
/// selected one (or the newest) in full.
func loadStatsView(_ state: AppState, _ effects: inout [Effect]) {
    switch state.statsView {
    case .sessions: effects.append(.loadStats(state.statsSource, baseline: state.statsBaseline))
    case .longTerm: effects.append(.loadLongTerm(selected: selectedLongTermRun(state)))
    }
}

/// The id of the long-term run under the cursor; nil before the list is read.
func selectedLongTermRun(_ state: AppState) -> Int64? {
    guard let runs = state.longTerm?.runs, runs.indices.contains(state.longTermCursor) else { return nil }
    return runs[state.longTermCursor].id
}

func select(_ state: inout AppState, _ effects: inout [Effect]) {
    switch state.screen {
    case .library:
        if state.library.tree?.toggle() == true { return }
        guard let t = selectedTrack(state) else { return note("no track selected", &state) }
        startSession(with: t, reason: "your pick", &state, &effects)
        state.screen = .nowPlaying
    case .strategies:
        let list = state.strategies.strategies
        guard list.indices.contains(state.strategyCursor) else { return }
        switchStrategy(to: list[state.strategyCursor].name, &state, &effects)
    case .stats where state.statsView == .longTerm:
        break
    case .stats:
        // Enter picks the selected strategy as the baseline the others are compared with (again: no baseline).
        guard let rows = state.stats?.strategies, rows.indices.contains(state.statsCursor) else { return }
        let name = rows[state.statsCursor].strategy
        state.statsBaseline = state.statsBaseline == name ? nil : name
        effects.append(.loadStats(state.statsSource, baseline: state.statsBaseline))
    case .history:
        toggleHistoryPlays(&state)
    default:
        break
    }
}

/// History: the cursor goes into the selected session's plays (each one's reason in full
/// below them) or back to the sessions.
func toggleHistoryPlays(_ state: inout AppState) {
    if state.historyPlayCursor != nil { state.historyPlayCursor = nil; return }
    guard historyPlays(state) > 0 else { return note("no plays in this session", &state) }
    state.historyPlayCursor = 0
}

private func historyPlays(_ state: AppState) -> Int {
    state.history.indices.contains(state.historyCursor) ? state.history[state.historyCursor].plays.count : 0
}

func selectedTrack(_ state: AppState) -> TrackID? {
    if let tree = state.library.tree { return tree.selectedTrack }
    return state.library.rows.indices.contains(state.library.cursor) ? state.library.rows[state.library.cursor] : nil
}

func pageSize(_ state: AppState) -> Int { max(1, state.size.height - 7) }

func move(by delta: Int, _ state: inout AppState, _ effects: inout [Effect]) {
    func clamp(_ v: Int, _ count: Int) -> Int { max(0, min(count - 1, v)) }
    switch state.screen {
    case .library:
        if let tree = state.library.tree {
            state.library.tree!.cursor = clamp(tree.cursor &+ delta, tree.rows.count)
        } else {
            state.library.cursor = clamp(state.library.cursor &+ delta, state.library.rows.count)
        }
    case .strategies: state.strategyCursor = clamp(state.strategyCursor &+ delta, state.strategies.strategies.count)
    case .stats where state.statsView == .longTerm:
        let before = state.longTermCursor
        state.longTermCursor = clamp(state.longTermCursor &+ delta, state.longTerm?.runs.count ?? 0)
        if state.longTermCursor != before { effects.append(.loadLongTerm(selected: selectedLongTermRun(state))) }
    case .stats: state.statsCursor = clamp(state.statsCursor &+ delta, state.stats?.strategies.count ?? 0)
    case .history:
        if let play = state.historyPlayCursor {
            state.historyPlayCursor = clamp(play &+ delta, historyPlays(state))
            return
        }
        state.historyCursor = clamp(state.historyCursor &+ delta, state.history.count)
        loadOlderSessionsIfNeeded(&state, &effects)
    case .help: state.helpScroll = max(0, min(state.helpScroll &+ delta, HelpView.lineCount(state) - 1))
    case .nowPlaying: state.queueCursor = clamp(state.queueCursor &+ delta, state.queue.count)
    }
}

func clampCursors(_ state: inout AppState) {
    state.library.cursor = max(0, min(state.library.cursor, state.library.rows.count - 1))
    state.statsCursor = max(0, min(state.statsCursor, (state.stats?.strategies.count ?? 0) - 1))
    state.longTermCursor = max(0, min(state.longTermCursor, (state.longTerm?.runs.count ?? 0) - 1))
    state.historyCursor = max(0, min(state.historyCursor, state.history.count - 1))
    if let play = state.historyPlayCursor { state.historyPlayCursor = max(0, min(play, historyPlays(state) - 1)) }
    state.queueCursor = max(0, min(state.queueCursor, state.queue.count - 1))
}

// MARK: history

/// Sessions per History page; the next page is read when the cursor comes within a screenful of
/// the last loaded session, so scrolling never reaches an end that is not the oldest session.
let historyPageSize = 50

private func loadOlderSessionsIfNeeded(_ state: inout AppState, _ effects: inout [Effect]) {
    guard !state.historyLoading, let last = state.history.last, state.history.count < state.historyTotal,
          state.historyWantsOldest || state.historyCursor >= state.history.count - pageSize(state) else { return }
    state.historyLoading = true
    // `G` reads the rest in large pages; scrolling one page at a time.
    let limit = state.historyWantsOldest ? max(historyPageSize, min(1_000, state.historyTotal - state.history.count)) : historyPageSize
    effects.append(.loadHistory(before: last.id, limit: limit))
}

/// Re-reads the newest sessions while History is on screen (a session began or ended).
private func refreshHistory(_ state: AppState, _ effects: inout [Effect]) {
    if state.screen == .history { effects.append(.loadHistory(before: nil, limit: historyPageSize)) }
}

private func historyPageLoaded(_ page: HistoryPage, before: Int64?, _ state: inout AppState, _ effects: inout [Effect]) {
    if let before {
        state.historyLoading = false
        // A page for a list that has since been replaced is dropped (the cursor asks again).
        if before == state.history.last?.id { state.history += page.sessions }
        if page.sessions.isEmpty { state.historyWantsOldest = false }
    } else {
        // The newest sessions, fresh: they replace the ones loaded before them and the older
        // pages stay when they join up; the cursor stays on the session it was on.
        let selected = state.history.indices.contains(state.historyCursor) ? state.history[state.historyCursor].id : nil
        let oldestFresh = page.sessions.last?.id ?? Int64.max
        let joins = page.sessions.count < historyPageSize || state.history.contains { $0.id == oldestFresh }
        let kept = joins ? state.history.filter { $0.id < oldestFresh } : []
        if !joins { state.historyLoading = false }
        state.history = page.sessions + kept
        if let selected, let i = state.history.firstIndex(where: { $0.id == selected }) { state.historyCursor = i }
    }
    state.historyTotal = max(page.total, state.history.count)
    if state.historyWantsOldest {
        if state.history.count >= state.historyTotal {
            state.historyWantsOldest = false
            state.historyCursor = state.history.count - 1
        }
    }
    clampCursors(&state)
    if state.screen == .history { loadOlderSessionsIfNeeded(&state, &effects) }
}

// MARK: library

func applySearch(_ text: String, _ state: inout AppState) {
    state.library.query = text
    refreshRows(&state)
}

/// Changes the filters in force (one of each kind; `LibraryFilters()` clears them all).
func setFilters(_ change: (inout LibraryFilters) -> Void, _ state: inout AppState) {
    state.screen = .library
    change(&state.library.filters)
    refreshRows(&state)
    let words = state.library.filters.descriptions(state.catalog)
    note(words.isEmpty ? "no filter: the whole Library" : "\(grouped(state.library.rows.count)) tracks of " + words.joined(separator: ", "), &state)
}

/// Sorts by `key`, in its own direction or `reversed` from it; the selected track stays selected.
func setSort(_ key: SortKey, reversed: Bool = false, _ state: inout AppState) {
    let selected = selectedTrack(state)
    state.library.sort = key
    state.library.reversed = reversed
    state.library.sorted = LibraryOrder.sorted(state.catalog, by: key)
    if reversed { state.library.sorted.reverse() }
    refreshRows(&state)
    if let selected, let i = state.library.rows.firstIndex(of: selected) { state.library.cursor = i }
    note("sorted by \(LibraryOrder.describe(key, reversed: reversed))", &state)
}

private func refreshRows(_ state: inout AppState) {
    let catalog = state.catalog, filters = state.library.filters
    var rows = state.library.sorted
    if !filters.isEmpty { rows = rows.filter { filters.matches($0, in: catalog) } }
    if !state.library.query.isEmpty { rows = state.search.index.matches(state.library.query, within: rows) }
    state.library.rows = rows
    state.library.cursor = 0
    state.library.tree = state.library.tree?.rebuilt(tracks: rows)
}

/// Shows the Library as the artist → album → track tree, or back as the list (on the track
/// selected in the tree, when one is).
func toggleTree(_ state: inout AppState) {
    state.screen = .library
    if let tree = state.library.tree {
        state.library.tree = nil
        if let t = tree.selectedTrack, let i = state.library.rows.firstIndex(of: t) { state.library.cursor = i }
    } else {
        // Opened the way to the selected track, so the tree starts where the list was.
        let selected = selectedTrack(state)
        let open: Set<LibraryTree.Node> = selected.map { t in
            [.artist(state.catalog.artist(t)), .album(artist: state.catalog.artist(t), name: state.catalog.album(t))]
        } ?? []
        state.library.tree = LibraryTree(order: state.treeOrder.order, tracks: state.library.rows, open: open,
                                         cursorOn: selected.map { .track($0) })
    }
}

/// On the Library tree, the keys bound to seeking open and close (→ ←) and the one bound to
/// pause opens or closes the artist or album under the cursor (on a track it pauses, as anywhere).
private func treeCommand(for command: Command, _ state: AppState) -> Command? {
    guard state.screen == .library, let tree = state.library.tree, let row = tree.selected else { return nil }
    switch (command.name, command.argument) {
    case ("seek", .offset(let seconds)): return Command(seconds < 0 ? "collapse" : "expand")
    case ("pause", _) where row.depth < 2: return Command("select")
    default: return nil
    }
}

// MARK: strategies

func switchStrategy(to name: String, _ state: inout AppState, _ effects: inout [Effect]) {
    guard state.strategies.strategies.contains(where: { $0.name == name }) else {
        return fail("unknown strategy '\(name)' (one of: \(state.strategies.strategies.map(\.name).joined(separator: ", ")))", &state)
    }
    ensureLoaded(name, &state, &effects)
    if state.session?.current != nil && name != state.activeStrategy {
        state.pendingStrategy = name
        note("\(name) from the next track", &state)
    } else {
        state.pendingStrategy = nil
        state.activeStrategy = name
        note("strategy: \(name)", &state)
    }
    refreshCandidates(&state, &effects)
}

/// Asks the runner to build `name` unless it is built or being built.
private func ensureLoaded(_ name: String, _ state: inout AppState, _ effects: inout [Effect]) {
    guard state.loaded[name] == nil, state.preparing.insert(name).inserted else { return }
    effects.append(.prepareStrategy(name, generation: state.loadGeneration[name, default: 0]))
}

/// A retrain stored a new model. Every built strategy may read it (i2i-fresh reads i2i's), so
/// each load asked before now is superseded: the strategy in use keeps playing on what it has
/// until its rebuild arrives (the kept "up next" stays true until then), one being built is
/// asked again, and the rest are dropped, to be built anew when next chosen.
private func modelsChanged(_ state: inout AppState, _ effects: inout [Effect]) {
    let inUse = state.pendingStrategy ?? state.activeStrategy
    for name in Set(state.loaded.keys).union(state.preparing).union([inUse]).sorted() {
        state.loadGeneration[name, default: 0] += 1
        if name == inUse || state.preparing.contains(name) {
            state.preparing.insert(name)
            effects.append(.prepareStrategy(name, generation: state.loadGeneration[name]!))
        } else {
            state.loaded[name] = nil
        }
    }
}

func retrain(_ name: String, _ state: inout AppState, _ effects: inout [Effect]) {
    guard let info = state.strategies.strategies.first(where: { $0.name == name }) else {
        return fail("unknown strategy '\(name)'", &state)
    }
    guard info.trainable else { return note("\(name) has no model to train", &state) }
    guard state.retraining[name] == nil else { return note("\(name) is already retraining", &state) }
    state.retraining[name] = 0
    effects.append(.retrain(name))
    note("retraining \(name) in the background…", &state)
}

// MARK: playback and sessions

private func advanceClock(to now: Double, _ state: inout AppState, _ effects: inout [Effect]) {
    let elapsed = max(0, now - state.now)
    state.now = now
    if let until = state.waitUntil, now >= until { state.waitUntil = nil }
    guard !state.paused, var current = state.session?.current else { return }
    current.position += elapsed * state.speed
    if let stop = current.stopAt, current.position >= stop {
        current.position = stop
        state.session?.current = current
        finishCurrent(.skipped, &state, &effects)
        if state.bot.skipCue, let play = state.session?.plays.last { cueSkip(play.fraction, leaves: !current.continuesAfter, &state) }
        advance(&state, &effects)
    } else if current.position >= current.duration {
        current.position = current.duration
        state.session?.current = current
        // Reached the end after jumping ahead: a skip of what was jumped over, not a listen.
        finishCurrent(current.heardWhole ? .listened : .skipped, &state, &effects)
        advance(&state, &effects)
    } else {
        state.session?.current = current
    }
}

/// Bot mode: flashes the skip on the player bar; skips that come while the last cue is still up
/// join it, so none goes by unseen however fast the clock runs.
private func cueSkip(_ fraction: Float, leaves: Bool, _ state: inout AppState) {
    var cue = state.skipCue.flatMap { $0.until > state.now ? $0 : nil } ?? SkipCue(fractions: [], count: 0, leaves: false, until: 0)
    cue.fractions = Array((cue.fractions + [fraction]).suffix(3))
    cue.count += 1
    cue.leaves = leaves
    cue.until = state.now + SkipCue.hold
    state.skipCue = cue
}

/// Moves the playing track to `position` seconds. The simulated listener's plan is set in
/// track time, so in bot mode the listener alone decides where the play goes.
func seek(to position: Double, _ state: inout AppState) {
    guard var current = state.session?.current else { return note("nothing is playing", &state) }
    guard state.source != .bot else { return note("the simulated listener decides where it moves on: seeking is for your own sessions", &state) }
    current.seek(to: position)
    state.session?.current = current
}

private func startSession(with track: TrackID, reason: String, _ state: inout AppState, _ effects: inout [Effect]) {
    if state.session?.current != nil { endSession(abandoning: true, &state, &effects) }
    if let pending = state.pendingStrategy {
        state.activeStrategy = pending
        state.pendingStrategy = nil
    }
    state.session = SessionState(startedAt: state.now, strategy: state.activeStrategy)
    state.paused = false
    effects.append(.beginSession(user: state.user, strategy: state.activeStrategy, source: state.source, startedAt: state.now))
    refreshHistory(state, &effects)
    startTrack(Recommendation(track: track, reason: reason), by: nil, latency: 0, &state, &effects)
}

private func startTrack(_ rec: Recommendation, by strategy: String?, latency: Float, fromQueue: Bool = false,
                        _ state: inout AppState, _ effects: inout [Effect]) {
    let d = Double(state.catalog.duration(rec.track))
    state.session?.current = NowPlaying(track: rec.track, position: 0, duration: d > 0 ? d : 210, reason: rec.reason,
                                        recommendedBy: strategy, latencyMicros: latency, fromQueue: fromQueue)
    refreshCandidates(&state, &effects)
    effects.append(.trackStarted(rec.track))
}

/// Ends the current play: listened (fraction 1), skipped (position / duration) or abandoned.
func finishCurrent(_ outcome: PlayOutcome, _ state: inout AppState, _ effects: inout [Effect]) {
    guard var session = state.session, let current = session.current else { return }
    // What was played, each second once: a seek ahead is not heard (`NowPlaying.heardSeconds`).
    let heard = outcome == .listened ? 1 : min(1, max(0, current.heardSeconds / current.duration))
    let fraction = Float((heard * 100).rounded() / 100)
    let play = Play(position: Int32(session.plays.count), track: current.track, fraction: fraction, outcome: outcome,
                    recommendedBy: current.recommendedBy, latencyMicros: current.latencyMicros,
                    liked: session.liked.contains(current.track))
    session.plays.append(play)
    session.current = nil
    state.session = session
    state.recentHistory.append((current.track, fraction))
    if state.recentHistory.count > listenerHistoryLimit { state.recentHistory.removeFirst(state.recentHistory.count - listenerHistoryLimit) }
    effects.append(.recordPlay(play, reason: current.reason))
    state.lastPlayContinues = current.continuesAfter
}

/// After a play ended: the listener leaves (bot) or the recommender picks the next track.
func advance(_ state: inout AppState, _ effects: inout [Effect]) {
    guard state.session != nil else { return }
    if !state.lastPlayContinues {
        endSession(abandoning: false, &state, &effects)
        effects.append(.sessionFinished)
        return
    }
    if let pending = state.pendingStrategy {
        state.activeStrategy = pending
        state.pendingStrategy = nil
    }
    // The listener's queue comes first: their own choice, so no strategy is credited and the
    // generator does not move.
    if !state.queue.isEmpty {
        let track = state.queue.removeFirst()
        state.queueCursor = max(0, min(state.queueCursor - 1, state.queue.count - 1))
        return startTrack(Recommendation(track: track, reason: "from your queue"), by: nil, latency: 0, fromQueue: true, &state, &effects)
    }
    // Heard to the end: play what "up next" showed, drawn ahead for exactly this moment. Any
    // other ending asks for a pick now, from the same generator (the draw ahead left it untouched).
    let position = state.session!.plays.count - 1
    if let kept = state.drawnAhead, state.session!.plays.last?.outcome == .listened,
       kept.position == position, kept.forStrategy == state.activeStrategy {
        play(kept, &state, &effects)
    } else {
        effects.append(.recommend(request(.play, count: 1, &state, &effects)))
    }
}

private func play(_ pick: DrawnPick, _ state: inout AppState, _ effects: inout [Effect]) {
    state.drawnAhead = nil
    state.rng = pick.rngAfter
    if let asked = pick.asked { state.session?.askedStrategies.insert(asked) }
    startTrack(pick.recommendation, by: pick.strategy, latency: pick.latencyMicros, &state, &effects)
}

/// A draw from `state` (a pending switch applied) under a new ticket. Until the chosen
/// strategy is built the baseline picks, and the play says so, rather than freezing the screen.
private func request(_ purpose: DrawRequest.Purpose, count: Int, _ state: inout AppState, _ effects: inout [Effect]) -> DrawRequest {
    let chosen = state.pendingStrategy ?? state.activeStrategy
    let built = state.loaded[chosen]
    if built == nil { ensureLoaded(chosen, &state, &effects) }
    state.drawTicket += 1
    let session = state.session
    return DrawRequest(purpose: purpose, ticket: state.drawTicket, recommender: built ?? RandomRecommender(),
                       recordAs: built == nil ? RandomRecommender().name : chosen, forStrategy: chosen,
                       waitingFor: built == nil ? chosen : nil, user: state.user, catalog: state.catalog,
                       plays: session?.plays.map { ($0.track, $0.fraction) } ?? [], current: session?.current?.track,
                       queued: purpose == .upNext ? state.queue : [], history: state.recentHistory, rng: state.rng, count: count)
}

/// The runner's answer to a request: the next track, or "up next".
private func drawn(ticket: Int, _ picks: [DrawnPick], _ state: inout AppState, _ effects: inout [Effect]) {
    // Every pick was computed, whether or not it is still wanted: its stage times count.
    for pick in picks {
        if let asked = pick.asked, let stages = pick.stages { state.stageTimings[asked, default: StageTimings()].add(stages) }
    }
    // Anything that changed what a draw depends on has asked again (or ended the session).
    guard ticket == state.drawTicket, let session = state.session, session.endedAt == nil, let first = picks.first else { return }
    if session.current == nil {
        play(first, &state, &effects)
    } else {
        state.drawnAhead = first
        state.session?.candidates = picks.map(\.recommendation)
        state.session?.upNextChangesOnSkip = state.loaded[first.forStrategy]?.readsFractions ?? true
    }
}

func endSession(abandoning: Bool, _ state: inout AppState, _ effects: inout [Effect]) {
    if abandoning { finishCurrent(.abandoned, &state, &effects) }
    state.session?.current = nil
    state.session?.candidates = []
    state.session?.upNextAskedAtEnd = false
    state.drawnAhead = nil
    state.session?.endedAt = state.now
    effects.append(.endSession(endedAt: state.now))
    if let notice = sessionEndNotice(state) { effects.append(.tellSessionEnded(notice)) }
    refreshHistory(state, &effects)
}

/// The strategies asked in the session just ended, with the session as the simulator hands it
/// over at the end: its plays, and the listener's earlier ones as history.
private func sessionEndNotice(_ state: AppState) -> SessionEndNotice? {
    guard let session = state.session, !session.plays.isEmpty else { return nil }
    let told = session.askedStrategies.sorted().compactMap { name in state.loaded[name].map { (name: name, recommender: $0) } }
    guard !told.isEmpty else { return nil }
    let plays = session.plays.map { (track: $0.track, fraction: $0.fraction) }
    let context = RecommendationContext(user: state.user, session: plays,
                                        history: Array(state.recentHistory.dropLast(plays.count)), catalog: state.catalog)
    return SessionEndNotice(recommenders: told, context: context)
}

/// "Up next": the tracks that play if the current one and each of them is heard to the end,
/// drawn by the runner from the state as it is (same generator, same context, the history cap
/// included). The first pick is kept in `drawnAhead` and played as drawn when the current track
/// is heard to the end. Nothing is shown while the strategy is still being built (the fallback
/// would pick, and the strategy may be ready first).
func refreshCandidates(_ state: inout AppState, _ effects: inout [Effect]) {
    state.drawnAhead = nil
    state.session?.candidates = []
    state.session?.upNextChangesOnSkip = false
    state.session?.upNextAskedAtEnd = false
    let chosen = state.pendingStrategy ?? state.activeStrategy
    guard state.session?.current != nil else { return }
    guard let built = state.loaded[chosen] else { return ensureLoaded(chosen, &state, &effects) }
    // A remote service would take each question asked ahead as a listen: it is asked once the
    // current track (and the queue) has ended, with what was really heard.
    guard built.answersAhead else {
        state.session?.upNextAskedAtEnd = true
        return
    }
    effects.append(.recommend(request(.upNext, count: 5, &state, &effects)))
}
