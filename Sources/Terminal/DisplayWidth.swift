import CNcursesw

/// Columns a piece of text takes on a terminal: CJK ideographs take two, combining accents none.
/// Alignment of the library's columns depends on this, never on `String.count`.
public enum DisplayWidth {
    /// `wcwidth` answers by the LC_CTYPE locale; in the "C" locale every non-ASCII character is
    /// unprintable, so tests and headless runs switch to a UTF-8 ctype once.
    private static let utf8Ready: Bool = {
        if botify_wcwidth(0x4E2D) != 2 {
            if setlocale(LC_CTYPE, "") == nil || botify_wcwidth(0x4E2D) != 2 { _ = setlocale(LC_CTYPE, "C.UTF-8") }
        }
        return botify_wcwidth(0x4E2D) == 2
    }()

    /// Width of one grapheme: 0, 1 or 2. Control characters count as 1 (drawn as a space).
    @inline(__always)
    public static func of(_ character: Character) -> Int {
        if character.asciiValue != nil { return 1 }
        return slowWidth(character)
    }

    private static func slowWidth(_ character: Character) -> Int {
        _ = utf8Ready
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // An emoji presentation selector makes a narrow symbol wide on every modern terminal.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        let w = Int(botify_wcwidth(first.value))
        if w >= 0 { return min(w, 2) }
        return first.properties.isEmojiPresentation ? 2 : 1
    }

    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// `text` cut to at most `width` columns, ending in "…" when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if text.utf8.count <= width && text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        if of(text) <= width { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = of(ch)
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }

    /// `text` broken into lines of at most `width` columns: at spaces where it can, inside a word
    /// (by column, so a CJK character never splits) where a word alone is too wide. Spaces at a
    /// break are dropped. At most `maxLines` lines; the last one ends in "…" when text is left.
    public static func wrap(_ text: String, to width: Int, maxLines: Int = .max) -> [String] {
        guard width > 0, maxLines > 0 else { return [] }
        var lines: [String] = []
        var line = "", used = 0
        func flush() {
            while line.last == " " { line.removeLast() }
            lines.append(line)
            line = ""; used = 0
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let ww = of(word)
            let gap = line.isEmpty ? 0 : 1
            if used + gap + ww <= width {
                if gap == 1 { line += " "; used += 1 }
                line += word; used += ww
                continue
            }
            if !line.isEmpty && ww <= width { flush(); line = String(word); used = ww; continue }
            // Too wide for any line: fill this one and go on character by character.
            if gap == 1 && used + 1 < width { line += " "; used += 1 } else if !line.isEmpty { flush() }
            for ch in word {
                let cw = of(ch)
                if used + cw > width { flush() }
                line.append(ch); used += cw
            }
        }
        if !line.isEmpty || lines.isEmpty { flush() }
        guard lines.count > maxLines else { return lines }
        var kept = Array(lines.prefix(maxLines))
        var last = truncate(kept[maxLines - 1] + " " + lines[maxLines], to: width)
        while last.hasSuffix(" …") { last = String(last.dropLast(2)) + "…" }
        kept[maxLines - 1] = last
        return kept
    }

    /// `text` truncated or padded with spaces to exactly `width` columns.
    public static func fit(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let pad = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? pad + cut : cut + pad
    }
}
