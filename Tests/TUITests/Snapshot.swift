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
    let actual = rows.joined(separator: "\n") + "\n"
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
