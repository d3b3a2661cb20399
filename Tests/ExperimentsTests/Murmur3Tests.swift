import Testing
@testable import Experiments

@Suite struct Murmur3Tests {
    @Test func plainHashes() {
        #expect(Murmur3.x86_32("hello", seed: 0) == 613_153_351)
        #expect(Murmur3.x86_32("", seed: 0) == 0)
        #expect(Murmur3.x86_32("botify", seed: 42) == 3_434_186_266)
    }

    @Test(arguments: [
        ("AA", 2, [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1]),
        ("STICKY_ARTIST", 2, [1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 0]),
        ("I2I", 3, [2, 2, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 2, 2, 2, 2]),
        ("SEVEN", 7, [1, 4, 5, 1, 6, 5, 5, 5, 2, 1, 5, 1, 1, 0, 0, 0]),
    ])
    func armVectors(name: String, arms: Int, expected: [Int]) {
        let assignment = ArmAssignment(experiment: name, arms: arms)
        #expect((0..<16).map { assignment.arm(of: Int64($0)) } == expected)
    }
}
