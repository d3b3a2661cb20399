import Core
import Foundation
@testable import Ranking
import Testing

/// The XGBoost wrapper: a tiny model learns a planted rule, survives the buffer round trip
/// bit for bit, explains itself additively, and refuses bytes that are not a model.
@Suite("XGBoost booster")
struct BoosterTests {
    /// Two features; the label is 0.9 when the first exceeds 0.5, else 0.1; the second is noise.
    static func planted(rows: Int, seed: UInt64 = 3) -> (FeatureMatrix, [Float]) {
        var rng = SeededGenerator(seed: seed)
        var m = FeatureMatrix(columns: 2)
        var labels: [Float] = []
        for _ in 0..<rows {
            let x = Float(rng.nextUnit()), noise = Float(rng.nextUnit())
            m.values += [x, noise]
            labels.append(x > 0.5 ? 0.9 : 0.1)
        }
        return (m, labels)
    }

    static let parameters = [("objective", "reg:logistic"), ("tree_method", "hist"), ("max_depth", "3"),
                             ("eta", "0.3"), ("seed", "1"), ("nthread", "1"), ("verbosity", "0")]

    @Test("learns a planted rule; save → load gives identical predictions and bytes")
    func roundTrip() throws {
        let (m, labels) = Self.planted(rows: 400)
        let booster = try Booster.train(features: m, labels: labels, parameters: Self.parameters, rounds: 30)
        let probe = FeatureMatrix(columns: 2, values: [0.9, 0.1, 0.1, 0.9, 0.7, 0.5, 0.2, 0.2])
        let predicted = try booster.predict(probe)
        #expect(predicted[0] > 0.8 && predicted[1] < 0.2 && predicted[2] > 0.8 && predicted[3] < 0.2, "\(predicted)")
        let bytes = try booster.saved()
        let loaded = try Booster(buffer: bytes)
        #expect(loaded.featureCount == 2)
        #expect(try loaded.predict(probe) == predicted)
        #expect(try loaded.saved() == bytes)
    }

    @Test("contributions add up to the margin, and the planted feature carries the weight")
    func contributions() throws {
        let (m, labels) = Self.planted(rows: 400)
        let booster = try Booster.train(features: m, labels: labels, parameters: Self.parameters, rounds: 30)
        let row = FeatureMatrix(columns: 2, values: [0.9, 0.3])
        let c = try booster.contributions(row)
        #expect(c.count == 3)
        let p = try booster.predict(row)[0]
        let margin = log(Double(p) / (1 - Double(p)))
        #expect(abs(Double(c.reduce(0, +)) - margin) < 1e-4)
        #expect(abs(c[0]) > 10 * abs(c[1]))
    }

    @Test("a missing value (NaN) is accepted; bytes that are not a model are refused")
    func refusals() throws {
        let (m, labels) = Self.planted(rows: 100)
        let booster = try Booster.train(features: m, labels: labels, parameters: Self.parameters, rounds: 5)
        #expect(try booster.predict(FeatureMatrix(columns: 2, values: [.nan, .nan])).count == 1)
        #expect(throws: InputError.self) { try Booster(buffer: Array("not a model".utf8)) }
        #expect(throws: InputError.self) { try booster.predict(FeatureMatrix(columns: 3, values: [1, 2, 3])) }
    }
}
