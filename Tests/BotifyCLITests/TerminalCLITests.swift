import Foundation
import Testing

/// `botify play` on a real pseudo-terminal (util-linux `script`) whose TERM curses cannot use.
@Suite struct TerminalCLITests {
    @Test func anUnknownTermIsRefusedBeforeTheDatabaseIsCreated() throws {
        let db = scratchDirectory("term") + "/never.sqlite"
        let command = "TERM=bogusterm \(botifyBinary.path) play --db \(db) --catalog \(smallCatalog); echo EXIT=$?"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("TERM 'bogusterm' is not in the terminal database") && text.contains("EXIT=2"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
