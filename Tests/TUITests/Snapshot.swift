import Foundation
import Terminal
import Testing

/// Compares a frame with its golden file under `__Snapshots__/`. Rows keep their trailing spaces
/// and end in "|", so misaligned wide characters show as a ragged right edge. Regenerate on
/// purpose with `BOTIFY_UPDATE_SNAPSHOTS=1 swift test --filter TUITests`.
func assertSnapshot(_ buffer: ScreenBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let rows = (0..<buffer.height).map { y in
        (0..<buffer.width).reduce(into: "") { line, x in if buffer[x, y].width > 0 { line += buffer[x, y].text } } + "|"
    }
    compareGolden(rows.joined(separator: "\n") + "\n", named: name, sourceLocation: sourceLocation)
}

/// Like `assertSnapshot`, with the colours and attributes in the golden file too: below the
/// text, each row again with one letter per cell naming its style ("." plain), then what each
/// letter is, with the colours as a terminal of `depth` would receive them.
func assertStyledSnapshot(_ buffer: ScreenBuffer, named name: String, depth: ColorDepth = .direct,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    var letters: [Style: Character] = [.plain: "."]
    var order: [Style] = []
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    var rows: [String] = []
    for y in 0..<buffer.height {
        var row = ""
        for x in 0..<buffer.width {
            let style = buffer[x, y].style.degraded(to: depth)
            if letters[style] == nil {
                letters[style] = order.count < alphabet.count ? alphabet[order.count] : "?"
                order.append(style)
            }
            row.append(letters[style]!)
        }
        rows.append(row + "|")
    }
    func describe(_ s: Style) -> String {
        var parts = ["fg \(s.foreground?.name ?? "default")", "bg \(s.background?.name ?? "default")"]
        for (on, word) in [(s.bold, "bold"), (s.reverse, "reverse"), (s.underline, "underline"), (s.dim, "dim")] where on { parts.append(word) }
        return parts.joined(separator: " ")
    }
    let legend = order.map { "\(letters[$0]!) = \(describe($0))" }
    let text = (0..<buffer.height).map { y in
        (0..<buffer.width).reduce(into: "") { line, x in if buffer[x, y].width > 0 { line += buffer[x, y].text } } + "|"
    }
    let actual = (text + ["-- styles (\(depth)) --"] + rows + legend).joined(separator: "\n") + "\n"
    compareGolden(actual, named: name, sourceLocation: sourceLocation)
}

/// Compares `actual` with `__Snapshots__/NAME.txt` (rewrites it with BOTIFY_UPDATE_SNAPSHOTS=1).
func compareGolden(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = dir.appendingPathComponent("\(name).txt")
    if ProcessInfo.processInfo.environment["BOTIFY_UPDATE_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("no golden file \(file.path); run with BOTIFY_UPDATE_SNAPSHOTS=1 to create it", sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var diff = ["\(name): frame differs from \(file.lastPathComponent) (- expected, + actual)"]
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : "<none>", al = i < a.count ? String(a[i]) : "<none>"
        if el != al { diff += ["row \(i):", "- \(el)", "+ \(al)"] }
    }
    Issue.record(Comment(rawValue: diff.joined(separator: "\n")), sourceLocation: sourceLocation)
}
