import Testing
@testable import Core

/// `JSONLines.forEachLine` against a model written another way (split, strip, filter), over
/// seeded random texts of the characters that matter: LF, CR, spaces, tabs and others.
@Suite struct JSONLinesTests {
    static func model(_ bytes: [UInt8]) -> [(String, Int)] {
        var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if bytes.last == 0x0A { pieces.removeLast() }  // a final LF ends the last line, it starts none
        return pieces.enumerated().compactMap { index, piece in
            let text = piece.last == 0x0D ? Array(piece.dropLast()) : piece
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
            return (String(decoding: text, as: UTF8.self), index + 1)
        }
    }

    static func lines(_ bytes: [UInt8]) -> [(String, Int)] {
        var out: [(String, Int)] = []
        bytes.withUnsafeBufferPointer { JSONLines.forEachLine($0) { out.append((String(decoding: $0, as: UTF8.self), $1)) } }
        return out
    }

    @Test func agreesWithTheModelOnRandomTexts() {
        let alphabet: [UInt8] = [0x0A, 0x0A, 0x0D, 0x20, 0x09, UInt8(ascii: "{"), UInt8(ascii: "a"), UInt8(ascii: "}")]
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<2000 {
            let bytes = (0..<rng.nextIndex(40)).map { _ in alphabet[rng.nextIndex(alphabet.count)] }
            let got = Self.lines(bytes), want = Self.model(bytes)
            #expect(got.map(\.0) == want.map(\.0) && got.map(\.1) == want.map(\.1), "\(bytes)")
        }
    }

    @Test func namesLinesAsAnEditorCountsThem() {
        let text = Array("{\"a\":1}\r\n\n  \t\n{\"b\":2}\r\r\n{\"c\":3}".utf8)
        let got = Self.lines(text)
        #expect(got.map(\.1) == [1, 4, 5])
        #expect(got.map(\.0) == ["{\"a\":1}", "{\"b\":2}\r", "{\"c\":3}"], "only the CR before LF is dropped")
        var calls = 0
        [UInt8]().withUnsafeBufferPointer { JSONLines.forEachLine($0) { _, _ in calls += 1 } }
        #expect(calls == 0)
    }
}
