import Core
import Foundation
import Testing
@testable import Simulator

@Suite struct CourseWorldFilesTests {
    func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "botify-world-\(UUID().uuidString)"
        return dir
    }

    @Test func exportThenImportGivesTheSameWorld() throws {
        let world = TestWorlds.world(tracks: 300, users: 40, seed: 3)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CourseWorldFiles.export(world, to: dir)
        let back = try CourseWorldFiles.load(from: dir)
        #expect(back.space == world.space)
        #expect(back.users == world.users)
        #expect(back.catalog.titles == world.catalog.titles)
        #expect(back.catalog.fingerprint == world.catalog.fingerprint)
        #expect(back.slotNearest == world.slotNearest, "same vectors give the same session starts")
        #expect(back.config.seed == 3 && back.config.origin == dir)
        let users = try String(contentsOfFile: dir + "/users.json", encoding: .utf8).split(separator: "\n")
        #expect(users.count == 40)
        let first = try JSONSerialization.jsonObject(with: Data(users[0].utf8)) as! [String: Any]
        #expect(Set(first.keys) == ["user", "interests", "consume_bias", "consume_sharpness", "session_budget",
                                    "artist_discount_gamma", "interest_neighbours"])
        #expect(first["interest_neighbours"] as? Int == 10)
    }

    @Test func readsFloat16AnyDimensionAndCourseDefaults() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let tracks = (0..<3).map { #"{"track": \#($0), "artist": "a\#($0)", "title": "t\#($0)"}"# }.joined(separator: "\n")
        try tracks.write(toFile: dir + "/tracks.json", atomically: true, encoding: .utf8)
        try #"{"user": 7, "interests": [2, 0]}"#.write(toFile: dir + "/users.json", atomically: true, encoding: .utf8)
        // float16 [3, 3]: 1.0 = 0x3C00, 0.5 = 0x3800, -2.0 = 0xC000, 0 = 0x0000
        var header = "{'descr': '<f2', 'fortran_order': False, 'shape': (3, 3), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8))
        for h: UInt16 in [0x3C00, 0, 0, 0x3800, 0x3800, 0, 0xC000, 0, 0x3C00] { data.append(contentsOf: [UInt8(h & 0xFF), UInt8(h >> 8)]) }
        try data.write(to: URL(fileURLWithPath: dir + "/embeddings.npy"))
        let world = try CourseWorldFiles.load(from: dir)
        #expect(world.space.dimensions == 3)
        #expect(world.space.vectors == [1, 0, 0, 0.5, 0.5, 0, -2, 0, 1])
        #expect(world.users.ids == [7])
        #expect(world.users.consumeBias == [5.0] && world.users.consumeSharpness == [1.0])
        #expect(world.users.sessionBudget == [5] && world.users.artistDiscountGamma == [0.8])
        #expect(world.users.interestNeighbours == [10])
    }

    /// The course's `User.new_session` draws the first track uniformly from the user's own
    /// `interest_neighbours` nearest tracks to the interest (default 10); more than the catalog
    /// holds means the whole catalog (faiss pads with -1, which the course drops).
    @Test func perUserInterestNeighboursChooseTheFirstTrack() throws {
        let world = TestWorlds.world(tracks: 300, users: 4, seed: 5)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CourseWorldFiles.export(world, to: dir)
        try """
            {"user": 0, "interests": [5], "interest_neighbours": 1}
            {"user": 1, "interests": [7], "interest_neighbours": 100}
            {"user": 2, "interests": [9]}
            {"user": 3, "interests": [11], "interest_neighbours": 5000}
            """.write(toFile: dir + "/users.json", atomically: true, encoding: .utf8)
        let back = try CourseWorldFiles.load(from: dir)
        #expect(back.users.interestNeighbours == [1, 100, 10, 5000])
        #expect(back.candidateCount == 300, "lists as long as the widest start list, at most the catalog")
        var rng = SeededGenerator(seed: 9)
        var starts = [[Int]](repeating: [], count: 4)
        for user in 0..<4 {
            var listener = SimulatedListener(world: back, user: user)
            let nearest = Array(back.nearest(toSlot: Int(back.users.interestOffsets[user])))
            for _ in 0..<2000 {
                let first = listener.startSession(using: &rng)
                starts[user].append(nearest.firstIndex(of: first)!)
            }
        }
        #expect(Set(starts[0]) == [0], "one neighbour: always the interest's nearest track")
        #expect(Set(starts[1]).count > 64 && starts[1].max()! < 100)
        #expect(Set(starts[2]) == Set(0..<10), "no field: the default 10")
        #expect(starts[3].max()! >= 100 && starts[3].max()! < 300)

        for (value, problem) in [("0", "must be a whole number ≥ 1"), ("-3", "must be a whole number ≥ 1"), ("\"ten\"", "wrong type")] {
            try #"{"user": 0, "interests": [5]}"#.appending("\n{\"user\": 1, \"interests\": [5], \"interest_neighbours\": \(value)}")
                .write(toFile: dir + "/users.json", atomically: true, encoding: .utf8)
            do {
                _ = try CourseWorldFiles.load(from: dir)
                Issue.record("interest_neighbours \(value) was accepted")
            } catch let e as InputError {
                #expect(e.field == "interest_neighbours" && e.line == 2 && e.file!.hasSuffix("users.json"))
                #expect(e.problem.hasPrefix(problem), "\(e)")
                #expect(e.value == value.replacingOccurrences(of: "\"", with: ""), "the value is named: \(e)")
            }
        }
    }

    /// World directories from the course's older material name the embeddings `tracks.npy`, and
    /// its tracks file says `genres` and sometimes `"year": "2004"`.
    @Test func readsTheCoursesOlderFileNamesAndFields() throws {
        let world = TestWorlds.world(tracks: 120, users: 5)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CourseWorldFiles.export(world, to: dir)
        let fm = FileManager.default
        try fm.moveItem(atPath: dir + "/embeddings.npy", toPath: dir + "/tracks.npy")
        let tracks = (0..<120).map { #"{"track": \#($0), "artist": "a\#($0 % 7)", "title": "t\#($0)", "genres": ["Rock", "Pop"], "year": "2004"}"# }
        try tracks.joined(separator: "\n").write(toFile: dir + "/tracks.json", atomically: true, encoding: .utf8)
        let back = try CourseWorldFiles.load(from: dir)
        #expect(back.space == world.space)
        #expect(back.catalog.years.allSatisfy { $0 == 2004 })
        #expect(back.catalog.genres(3).map { back.catalog.genreNames[Int($0)] } == ["Rock", "Pop"])

        try fm.removeItem(atPath: dir + "/tracks.npy")
        do {
            _ = try CourseWorldFiles.load(from: dir)
            Issue.record("a world without embeddings loaded")
        } catch let e as InputError {
            #expect(e.file!.hasSuffix("embeddings.npy") && e.description.contains("tracks.npy"), "\(e)")
        }
    }

    @Test func badFilesNameFileAndField() throws {
        let world = TestWorlds.world(tracks: 120, users: 5)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CourseWorldFiles.export(world, to: dir)
        try #"{"user": 1, "interests": [999]}"#.write(toFile: dir + "/users.json", atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try CourseWorldFiles.load(from: dir) }
        do { _ = try CourseWorldFiles.load(from: dir) } catch let e as InputError {
            #expect(e.field == "interests" && e.line == 1 && e.file!.hasSuffix("users.json"))
        }
        let truncated = NumpyMatrix(rows: 100, columns: 32, values: Array(repeating: 0, count: 3200)).npyData()
        try truncated.write(to: URL(fileURLWithPath: dir + "/embeddings.npy"))
        do { _ = try CourseWorldFiles.load(from: dir) } catch let e as InputError {
            #expect(e.field == "shape" && e.file!.hasSuffix("embeddings.npy"))
        }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: dir + "/embeddings.npy"))
        #expect(throws: InputError.self) { try CourseWorldFiles.load(from: dir) }
    }
}
