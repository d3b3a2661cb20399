import Core
import Foundation
import Testing

/// A scratch directory per test, removed when the value goes away.
final class ScratchDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("botify-core-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = url.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }
}

/// The error a load throws, or nil when it loads.
func inputError(_ body: () throws -> Any) -> InputError? {
    do {
        _ = try body()
        return nil
    } catch let error as InputError {
        return error
    } catch {
        Issue.record("expected an InputError, got \(error)")
        return nil
    }
}

func expectSameCatalog(_ a: Catalog, _ b: Catalog, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    #expect(a.titles == b.titles, sourceLocation: sourceLocation)
    #expect(a.albums == b.albums, sourceLocation: sourceLocation)
    #expect(a.trackIDs.map(a.artistName) == b.trackIDs.map(b.artistName), sourceLocation: sourceLocation)
    #expect(a.years == b.years, sourceLocation: sourceLocation)
    #expect(a.durations == b.durations, sourceLocation: sourceLocation)
    #expect(a.popularity == b.popularity, sourceLocation: sourceLocation)
    #expect(a.trackIDs.map { a.genres($0).map { a.genreNames[Int($0)] } } == b.trackIDs.map { b.genres($0).map { b.genreNames[Int($0)] } },
            sourceLocation: sourceLocation)
    #expect(a.trackIDs.map { a.subgenres($0).map { a.subgenreNames[Int($0)] } } == b.trackIDs.map { b.subgenres($0).map { b.subgenreNames[Int($0)] } },
            sourceLocation: sourceLocation)
    #expect(a.features == b.features, sourceLocation: sourceLocation)
    #expect(a.fingerprint == b.fingerprint, sourceLocation: sourceLocation)
}
