import Testing
@testable import Terminal

@Suite struct DisplayWidthTests {
    @Test func widthsFollowTheTerminalNotTheCharacterCount() {
        #expect(DisplayWidth.of("Queen") == 5)
        #expect(DisplayWidth.of("宇多田ヒカル") == 12)
        #expect(DisplayWidth.of("Beyoncé") == 7)
        #expect(DisplayWidth.of("Beyonce\u{301}") == 7)  // decomposed accent: one grapheme, one column
        #expect(DisplayWidth.of("Árboles") == 7)
    }

    @Test func truncateAndFitCountColumns() {
        #expect(DisplayWidth.truncate("東京フラワー", to: 7) == "東京フ…")
        #expect(DisplayWidth.fit("東京", to: 6) == "東京  ")
        #expect(DisplayWidth.fit("7:11", to: 5, alignRight: true) == " 7:11")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
    }

    @Test func wrapBreaksAtSpacesByColumnsAndMarksWhatIsLeftOut() {
        #expect(DisplayWidth.wrap("one two three", to: 7) == ["one two", "three"])
        #expect(DisplayWidth.wrap("short", to: 10) == ["short"])
        #expect(DisplayWidth.wrap("", to: 10) == [""])
        // CJK counts double and never splits; a word wider than the line breaks by column.
        #expect(DisplayWidth.wrap("a 東京フラワー", to: 5) == ["a 東", "京フ", "ラワ", "ー"])
        #expect(DisplayWidth.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        #expect(DisplayWidth.wrap("one two three four", to: 7, maxLines: 2) == ["one two", "three…"])
        for line in DisplayWidth.wrap("unknown strategy '宇多田ヒカル' (one of: random, top-pop, sticky-artist)", to: 11) {
            #expect(DisplayWidth.of(line) <= 11)
        }
    }
}

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCellsAndNeverStraddleTheEdge() {
        var b = ScreenBuffer(width: 5, height: 1)
        let used = b.write("a東京", x: 0, y: 0)
        #expect(used == 5)
        #expect(b[1, 0] == Cell(text: "東", width: 2, style: .plain))
        #expect(b[2, 0].width == 0)
        var c = ScreenBuffer(width: 4, height: 1)
        c.write("ab東", x: 1, y: 0)
        #expect(c.lines == [" ab"])  // 東 would need columns 3–4: a space instead
    }

    @Test func anUnchangedFrameSendsNothingAndOneChangeSendsOneRun() {
        var a = ScreenBuffer(width: 20, height: 3)
        a.write("hello 世界", x: 0, y: 1)
        #expect(a.changes(since: a).isEmpty)
        var b = a
        b.write("J", x: 0, y: 1)
        #expect(b.changes(since: a) == [ScreenBuffer.Run(x: 0, y: 1, text: "J", style: .plain)])
        var c = a
        c.write("x", x: 7, y: 1)  // overwrites the continuation of 世
        let runs = c.changes(since: a)
        #expect(runs.count == 1 && runs[0].x == 6 && runs[0].text == " x")
        #expect(a.changes(since: nil).count == 3)
    }

    @Test func headlessTerminalCountsOnlyChangedCells() {
        let t = HeadlessTerminal(width: 10, height: 2)
        var b = ScreenBuffer(width: 10, height: 2)
        b.write("abc", x: 0, y: 0)
        t.draw(b)
        #expect(t.lastChangedCells == 20)
        b.write("X", x: 1, y: 0, style: Style(bold: true))
        t.draw(b)
        #expect(t.lastChangedCells == 1)
        #expect(t.lines == ["aXc", ""])
    }
}

@Suite struct StyleTests {
    @Test func withoutColoursABackgroundBecomesReverseVideo() {
        #expect(Style(foreground: .white, background: .blue, bold: true).withoutColors == Style(bold: true, reverse: true))
        #expect(Style(foreground: .cyan, bold: true).withoutColors == Style(bold: true))
        #expect(Style(reverse: true).withoutColors == Style(reverse: true))
    }
}
