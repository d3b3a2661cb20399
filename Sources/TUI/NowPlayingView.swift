import Core
import Terminal

/// Screen 2: the track, its progress, why it was chosen, what may come next and the session so far.
enum NowPlayingView {
    static func draw(_ state: AppState, in rect: Rect, _ buffer: inout ScreenBuffer) {
        let catalog = state.catalog
        let w = rect.width
        var y = rect.y
        let bottom = rect.y + rect.height
        func line(_ text: String, _ style: Style = .plain, x: Int = 1) {
            guard y < bottom else { return }
            buffer.clipped(text, x: x, y: y, style: style, width: w - x)
            y += 1
        }
        guard let session = state.session else {
            line("Nothing playing.", state.theme.header)
            line("Pick a track in the Library (1) and press Enter:")
            line("from then on the strategy chooses every next track.")
            if !state.queue.isEmpty { line("\(state.queue.count) queued: they play after the track you start.", state.theme.accent) }
            return
        }
        if let current = session.current {
            let t = current.track
            line(catalog.title(t) + (session.liked.contains(t) ? "  ♥" : ""), state.theme.header)
            var details = [catalog.artistName(t)]
            if !catalog.album(t).isEmpty { details.append(catalog.album(t)) }
            if catalog.years[Int(t)] > 0 { details.append(String(catalog.years[Int(t)])) }
            if !catalog.mainGenreName(t).isEmpty { details.append(catalog.mainGenreName(t)) }
            line(details.joined(separator: " · "))
            if y < bottom {
                let right = progressRight(state, current)
                let barWidth = max(5, w - 2 - DisplayWidth.of(right))
                ProgressBar.draw(fraction: current.position / current.duration, width: barWidth, x: 1, y: y,
                                 style: state.theme.progress, &buffer)
                buffer.write(right, x: 1 + barWidth, y: y)
                y += 1
            }
            // Nobody recommended it: the listener picked it — the person watching only in human mode.
            let own = state.source == .bot && !current.fromQueue ? "bot" : "you"
            let by = current.recommendedBy.map { "\($0), \(formatMicros(current.latencyMicros))" } ?? own
            // Reason, score, strategy and latency: two lines when one is too narrow for them.
            for text in DisplayWidth.wrap("why: \(current.reason) (\(by))", to: w - 1, maxLines: 2) {
                line(text, state.theme.dim)
            }
            if state.source == .bot && !state.bot.showPlan {
                line("listener: plan hidden (no spoilers)", state.theme.dim)
            } else if state.source == .bot {
                let plan = current.stopAt.map { "moves on at \(formatClock($0)) (\(format2($0 / current.duration)))" } ?? "hears it to the end"
                line("listener: " + plan + (current.continuesAfter ? "" : ", then leaves"), state.theme.dim)
            }
        } else {
            line("Session over.", state.theme.header)
            line("Pick a track in the Library (1) to start another.")
        }
        y += 1
        var summary = "Session: \(session.plays.count) plays · length \(format2(session.length))"
        if w >= 60 { summary += " · started \(formatDate(session.startedAt).suffix(5)) UTC · \(session.strategy)" }
        line(summary, state.theme.accent)
        // A strategy asked only once the track ends (remote) takes one row to say so.
        var nextRows = session.current == nil ? 0 : session.upNextAskedAtEnd ? 1 : min(session.candidates.count, 5)
        // The queue plays first, so it comes before Up next for room: below the timeline's one
        // row at least, a heading and its rows, or one line when there is no room for more;
        // Up next gets what is left.
        let room = bottom - y - 1
        var queueRows = 0, queueLine = false
        if !state.queue.isEmpty {
            queueRows = max(0, min(state.queue.count, room - 2))
            queueLine = queueRows == 0 && room >= 1
            nextRows = max(0, min(nextRows, room - (queueRows > 0 ? queueRows + 2 : queueLine ? 1 : 0) - 2))
        }
        let reserve = (nextRows > 0 ? nextRows + 2 : 0) + (queueRows > 0 ? queueRows + 2 : queueLine ? 1 : 0)
        let timelineRows = max(1, bottom - y - reserve)
        let rows = timelineEntries(state, session)
        for entry in rows.suffix(timelineRows) {
            guard y < bottom else { break }
            drawTimelineRow(entry, state, y: y, width: w, &buffer)
            y += 1
        }
        if queueLine {
            line("Queue (\(state.queue.count)): " + state.queue.map { catalog.title($0) }.joined(separator: " · "), state.theme.accent)
        }
        if queueRows > 0, y + 1 < bottom {
            y += 1
            line("Queue (\(state.queue.count), yours, plays first):", state.theme.accent)
            let top = scrollTop(cursor: state.queueCursor, count: state.queue.count, rows: queueRows)
            for i in top..<min(state.queue.count, top + queueRows) where y < bottom {
                let selected = i == state.queueCursor && state.screen == .nowPlaying
                if selected { buffer.fill(row: y, style: state.theme.selected) }
                let t = state.queue[i]
                line("\(i + 1). \(catalog.title(t)) — \(catalog.artistName(t))", selected ? state.theme.selected : .plain, x: 2)
            }
        }
        guard nextRows > 0, y + 1 < bottom else { return }
        y += 1
        // What plays if each track is heard to the end; a strategy that reads fractions may answer
        // otherwise after a skip, and the heading says so.
        let who = state.source == .bot ? "the listener skips" : "you skip"
        let caveat = session.upNextChangesOnSkip ? "; changes if \(who)" : ""
        let after = state.queue.isEmpty ? "" : ", after the queue"
        if session.upNextAskedAtEnd {
            line("Up next (\(state.pendingStrategy ?? state.activeStrategy)\(after)):", state.theme.accent)
            line("asked when this track ends: the service takes every /next as a listen", state.theme.dim, x: 2)
            return
        }
        line("Up next (\(state.pendingStrategy ?? state.activeStrategy)\(after)\(caveat)):", state.theme.accent)
        for (i, rec) in session.candidates.prefix(nextRows).enumerated() {
            line("\(i + 1). \(catalog.title(rec.track)) — \(catalog.artistName(rec.track))", x: 2)
        }
    }

    private static func progressRight(_ state: AppState, _ current: NowPlaying) -> String {
        " \(formatClock(current.position)) / \(formatClock(current.duration))  "
            + (state.paused ? "paused" : "playing ×\(formatSpeed(state.speed / defaultPlaybackSpeed))")
    }

    /// The row and columns of the track's progress bar (the third line), for a click.
    static func progressBar(_ state: AppState, in rect: Rect) -> (y: Int, bar: Range<Int>)? {
        guard state.screen == .nowPlaying, let current = state.session?.current, rect.height > 2 else { return nil }
        let barWidth = max(5, rect.width - 2 - DisplayWidth.of(progressRight(state, current)))
        return (rect.y + 2, 1..<(1 + barWidth))
    }

    struct Entry {
        var position: Int
        var track: TrackID
        var fraction: Double
        var label: String
        var outcome: PlayOutcome?
        var liked = false
    }

    static func timelineEntries(_ state: AppState, _ session: SessionState) -> [Entry] {
        var entries = session.plays.map {
            Entry(position: Int($0.position), track: $0.track, fraction: Double($0.fraction), label: $0.outcome.rawValue,
                  outcome: $0.outcome, liked: $0.liked)
        }
        if let c = session.current {
            entries.append(Entry(position: session.plays.count, track: c.track, fraction: c.position / c.duration, label: "playing", outcome: nil))
        }
        return entries
    }

    static func drawTimelineRow(_ e: Entry, _ state: AppState, y: Int, width: Int, _ buffer: inout ScreenBuffer) {
        let style = e.outcome.map { state.theme.outcome($0) } ?? state.theme.accent
        var x = buffer.write(DisplayWidth.fit(String(e.position), to: 3, alignRight: true) + " ", x: 1, y: y) + 1
        x += ProgressBar.draw(fraction: e.fraction, width: 10, x: x, y: y, style: style, &buffer)
        x += buffer.write(" \(format2(e.fraction)) ", x: x, y: y)
        x += buffer.write(DisplayWidth.fit(e.label, to: 9), x: x, y: y, style: style)
        let heart = e.liked ? " ♥" : ""
        buffer.clipped(" \(state.catalog.title(e.track))\(heart) — \(state.catalog.artistName(e.track))", x: x, y: y, width: width - x)
    }
}

