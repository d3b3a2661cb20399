import Terminal

/// Lines the `:` prompt remembers (one session of the player; nothing is written to disk).
let commandHistoryLimit = 100

/// A key while a prompt is open: Enter runs or searches, Esc closes, editing keys edit
/// (`LineEdit`); on `/` every edit searches and ↑/↓ move the selection; on `:` ↑/↓ recall
/// earlier lines and Tab completes command names and their arguments.
func handlePrompt(_ prompt: Prompt, key: Key, _ state: inout AppState, _ effects: inout [Effect]) {
    switch (prompt, key) {
    case (_, .escape):
        state.prompt = nil
        if case .search = prompt { applySearch("", &state) }
    case (.search(let line), .enter):
        state.prompt = nil
        applySearch(line.text, &state)
    case (.command(let line), .enter):
        state.prompt = nil
        state.commandHistoryIndex = nil
        let text = line.text.trimmingCharacters(in: " \t")
        guard !text.isEmpty else { break }
        if state.commandHistory.last != text { state.commandHistory.append(text) }
        if state.commandHistory.count > commandHistoryLimit { state.commandHistory.removeFirst() }
        do {
            run(try Command.parse(text), &state, &effects)
        } catch {
            fail(error.description, &state)
        }
    case (.search, .up), (.search, .down):
        if let command = state.keymap[key] { run(command, &state, &effects) }
    case (.command(let line), .up), (.command(let line), .down):
        recall(key == .up ? -1 : 1, line, &state)
    case (.command(let line), .tab):
        complete(line, &state)
    case (.command(let line), .backspace) where line.text.isEmpty, (.command(let line), .delete) where line.text.isEmpty:
        state.prompt = nil
    case (.search(var line), _):
        let before = line.text
        guard line.apply(key) else { break }
        state.prompt = .search(line)
        if line.text != before { applySearch(line.text, &state) }
    case (.command(var line), _):
        guard line.apply(key) else { break }
        state.prompt = .command(line)
    }
}

/// ↑ shows the line run before the one shown, ↓ the one after; past the newest, the line being typed.
private func recall(_ step: Int, _ line: LineEdit, _ state: inout AppState) {
    let history = state.commandHistory
    guard !history.isEmpty else { return }
    let current = state.commandHistoryIndex ?? history.count
    if state.commandHistoryIndex == nil { state.commandDraft = line.text }
    let next = max(0, min(history.count, current + step))
    state.commandHistoryIndex = next == history.count ? nil : next
    state.prompt = .command(LineEdit(next == history.count ? state.commandDraft : history[next]))
}

/// Tab: the text before the cursor is completed to the one command (or argument) it can start,
/// or to what all candidates share, and the candidates are listed on the message line.
private func complete(_ line: LineEdit, _ state: inout AppState) {
    let typed = line.beforeCursor
    let candidates = completions(of: typed, state)
    guard !candidates.isEmpty else { return fail("nothing to complete '\(typed)'", &state) }
    var completed = candidates.count == 1 ? candidates[0].line : commonPrefix(candidates.map(\.line))
    if candidates.count == 1, let spec = CommandTable.spec(named: completed), !spec.usage.isEmpty { completed += " " }
    if completed.count < typed.count { completed = typed }
    state.prompt = .command(LineEdit(completed + String(line.text.dropFirst(line.cursor))))
    if candidates.count > 1 {
        let shown = candidates.prefix(12).map(\.label)
        note(shown.joined(separator: " · ") + (candidates.count > 12 ? " … (\(candidates.count))" : ""), &state)
    }
}

/// Whole lines `typed` may become (a command's name, or its name and one of its arguments),
/// each with what the candidate list shows of it.
private func completions(of typed: String, _ state: AppState) -> [(line: String, label: String)] {
    let lower = typed.lowercased()
    let names = CommandTable.all.flatMap { [$0.name] + $0.aliases }.filter { $0.hasPrefix(lower) }.sorted()
    if !names.isEmpty { return names.map { ($0, $0) } }
    guard let (spec, argument) = try? CommandTable.lookup(typed) else { return [] }
    let folded = SearchIndex.fold(argument)
    return spec.arguments(state).filter { SearchIndex.fold($0).hasPrefix(folded) }.map { (spec.name + " " + $0, $0) }
}

/// The longest start all `candidates` share (never shorter than what was typed).
private func commonPrefix(_ candidates: [String]) -> String {
    var prefix = Array(candidates[0])
    for c in candidates.dropFirst() {
        let chars = Array(c)
        var n = 0
        while n < min(prefix.count, chars.count), prefix[n].lowercased() == chars[n].lowercased() { n += 1 }
        prefix = Array(prefix.prefix(n))
    }
    return String(prefix)
}
