import Core
import Foundation
import Testing

@Suite struct CatalogLocatorTests {
    let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func flagWinsAndAMissingFlagFileIsNamed() throws {
        let locator = CatalogLocator(flag: "/nonexistent/x.csv", environment: ["BOTIFY_CATALOG": repoRoot + "/catalog/tracks.csv"])
        #expect(throws: InputError(file: "/nonexistent/x.csv", "no such file (from --catalog)")) { try locator.locate() }
    }

    @Test func environmentComesBeforeTheSearch() throws {
        let locator = CatalogLocator(environment: ["BOTIFY_CATALOG": "/elsewhere/c.jsonl"], currentDirectory: repoRoot)
        #expect(locator.candidates().map(\.path) == ["/elsewhere/c.jsonl"])
    }

    @Test func walksUpFromASubdirectory() throws {
        let locator = CatalogLocator(environment: [:], currentDirectory: repoRoot + "/Sources/Core",
                                     executablePath: nil, sourceFile: "/nowhere/Sources/Core/CatalogLocator.swift")
        #expect(try locator.locate() == repoRoot + "/catalog/tracks.csv")
    }

    @Test func findsTheInstalledCopyNextToTheBinary() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("botify-locator-\(getpid())")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let share = prefix.appendingPathComponent("share/botify/catalog")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try Data("id,artist,title\n".utf8).write(to: share.appendingPathComponent("tracks.csv"))
        let locator = CatalogLocator(environment: [:], currentDirectory: "/", executablePath: prefix.path + "/bin/botify",
                                     sourceFile: "/nowhere/Sources/Core/CatalogLocator.swift")
        #expect(try locator.locate() == share.appendingPathComponent("tracks.csv").path)
    }

    @Test func errorListsWhereItLooked() {
        let locator = CatalogLocator(environment: [:], currentDirectory: "/", executablePath: "/opt/b/bin/botify",
                                     sourceFile: "/nowhere/Sources/Core/CatalogLocator.swift")
        do {
            _ = try locator.locate()
            Issue.record("expected no catalog to be found")
        } catch let error as InputError {
            let text = error.description
            #expect(text.contains("/catalog/tracks.csv (current directory or a parent)"))
            #expect(text.contains("/opt/b/share/botify/catalog/tracks.csv"))
            #expect(text.contains("/opt/b/bin/catalog/tracks.csv"))
            #expect(text.contains("/nowhere/catalog/tracks.csv (source checkout)"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
