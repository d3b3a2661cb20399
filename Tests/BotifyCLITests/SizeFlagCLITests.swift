import Core
import Foundation
import Testing

/// Random (seeded) bad values for every size flag of `simulate`, `ab` and `world export`: each
/// run exits 2 with exactly one `botify:` line naming the flag, prints nothing on standard
/// output, and creates neither the database nor the export directory.
@Suite("size flags")
struct SizeFlagCLITests {
    /// A size flag: its name and the values it accepts.
    struct SizeFlag {
        var name: String
        var range: ClosedRange<Int>
    }

    static let runFlags = [SizeFlag(name: "--users", range: 1...1_000_000), SizeFlag(name: "--sessions", range: 1...100_000),
                           SizeFlag(name: "--threads", range: 1...1_024)]
    static let commands: [(arguments: [String], flags: [SizeFlag])] = [
        (["simulate", "--strategy", "random"],
         runFlags + [SizeFlag(name: "--days", range: 1...1_000), SizeFlag(name: "--batch-plays", range: 1...10_000_000),
                     SizeFlag(name: "--retrain-every", range: 1...1_000)]),
        (["ab", "--experiment", "sizes", "--arms", "random,top-pop"],
         runFlags + [SizeFlag(name: "--days", range: 1...1_000), SizeFlag(name: "--retrain-every", range: 1...1_000)]),
        (["world", "export"], [SizeFlag(name: "--users", range: 1...1_000_000)]),
    ]

    /// A value outside `range`, as typed: zero, negative, just above, far above, the overflow
    /// traps of the issue, or not a number at all.
    static func badValue(_ range: ClosedRange<Int>, _ rng: inout SeededGenerator) -> String {
        switch rng.nextIndex(8) {
        case 0: return String(range.lowerBound - 1)
        case 1: return String(-1 - rng.nextIndex(1_000_000_000_000))
        case 2: return String(range.upperBound + 1)
        case 3: return String(range.upperBound + 1 + rng.nextIndex(Int.max - range.upperBound - 1))
        case 4: return ["4611686018427387904", "9223372036854775807", "1000000000"].filter { Int($0)! > range.upperBound }
            .randomElement(using: &rng)!
        case 5: return "99999999999999999999999"
        case 6: return ["abc", "1e3", "", "12x", "0x10", "--"].randomElement(using: &rng)!
        default: return String(range.lowerBound - 1 - rng.nextIndex(10))
        }
    }

    /// Runs `arguments` and checks the refusal; `mentions` must appear in the one line.
    static func expectRefused(_ arguments: [String], mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = scratchDirectory("sizes")
        let db = dir + "/botify.sqlite", out = dir + "/world"
        var full = arguments + ["--catalog", smallCatalog]
        if arguments[0] == "world" { full.insert(out, at: 2) } else { full += ["--db", db] }
        let r = try runBotify(full)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        let shown = full.joined(separator: " ")
        #expect(r.status == 2, "\(shown): status \(r.status), \(r.stderr)", sourceLocation: sourceLocation)
        #expect(lines.count == 1 && lines[0].hasPrefix("botify: "), "\(shown): \(r.stderr)", sourceLocation: sourceLocation)
        for m in mentions { #expect(r.stderr.contains(m), "\(shown): '\(m)' not in \(r.stderr)", sourceLocation: sourceLocation) }
        #expect(r.stdout.isEmpty, "\(shown): \(r.stdout)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: db), "\(shown) created the database", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), "\(shown) created the export directory", sourceLocation: sourceLocation)
    }

    @Test("random bad values of every size flag: exit 2, one botify: line naming the flag and value, nothing written")
    func randomBadValues() throws {
        var rng = SeededGenerator(seed: 16)
        for (arguments, flags) in Self.commands {
            for flag in flags {
                for _ in 0..<4 {
                    let value = Self.badValue(flag.range, &rng)
                    // "" and "--" are shown by the parser without the value itself.
                    let mentions = value.isEmpty || value == "--" ? [flag.name] : [flag.name, value]
                    try Self.expectRefused(arguments + [flag.name, value], mentions: mentions)
                }
            }
        }
    }

    @Test("users × sessions (× days) above the run limit, each flag within its own: refused without overflow")
    func products() throws {
        var rng = SeededGenerator(seed: 11)
        for arguments in [["simulate", "--strategy", "random"], ["ab", "--experiment", "sizes", "--arms", "random,top-pop"]] {
            for _ in 0..<3 {
                let users = 101 + rng.nextIndex(1_000_000 - 101)
                let sessions = 10_000_000 / users + 1 + rng.nextIndex(100_000 - 10_000_000 / users)
                try Self.expectRefused(arguments + ["--users", String(users), "--sessions", String(sessions)],
                                       mentions: ["--users × --sessions", String(users), String(sessions)])
            }
        }
        try Self.expectRefused(["simulate", "--users", "10000", "--sessions", "100", "--days", "11"], mentions: ["--days"])
        // The sizes of the issue, one by one.
        for (sizes, flag) in [(["--users", "1000000000", "--sessions", "1"], "--users"),
                              (["--users", "1", "--sessions", "1000000000"], "--sessions"),
                              (["--users", "4", "--sessions", "4611686018427387904"], "--sessions"),
                              (["--users", "9223372036854775807"], "--users")] {
            try Self.expectRefused(["simulate"] + sizes, mentions: [flag])
            try Self.expectRefused(["ab", "--experiment", "sizes", "--arms", "random,top-pop"] + sizes, mentions: [flag])
        }
        try Self.expectRefused(["world", "export", "--users", "1000000000"], mentions: ["--users", "1000000000"])
    }

    @Test("unknown strategies and arms, and --speed 0: refused the same way, before any database exists")
    func unknownNames() throws {
        try Self.expectRefused(["simulate", "--strategy", "nosuch"], mentions: ["--strategy", "nosuch", "valid: random"])
        try Self.expectRefused(["ab", "--experiment", "x", "--arms", "random,nosuch"], mentions: ["--arms", "nosuch"])
        try Self.expectRefused(["ab", "--experiment", "x", "--arms", "random,"], mentions: ["--arms", "arm 2 is empty"])
        try Self.expectRefused(["simulate", "--retrain", "--no-log"], mentions: ["--retrain"])
        try Self.expectRefused(["play", "--speed", "0"], mentions: ["--speed", "0"])
        for speed in ["65", "1e308", "-2", "nan"] { try Self.expectRefused(["play", "--speed", speed], mentions: ["--speed", "at most 64"]) }
        try Self.expectRefused(["simulate", "--bogus"], mentions: ["--bogus", "botify simulate --help"])
        try Self.expectRefused(["play", "--no-spoilers"], mentions: ["--no-spoilers", "only with --bot"])
    }

    @Test("play --bot with a user beyond the generated world: one line, exit 2, at once")
    func botUserBeyondTheWorld() throws {
        _ = smallCatalog  // made once per test run: not part of the time measured
        let started = Date()
        try Self.expectRefused(["play", "--bot", "--user", "999999"], mentions: ["--user", "999999", "0…9999"])
        try Self.expectRefused(["play", "--bot", "--user", "-1"], mentions: ["--user", "-1"])
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
