import Core
import Foundation
@testable import Ranking
import Testing

/// The Swift tree evaluator serves the ranker in XGBoost's place: its predictions and its
/// TreeSHAP contributions must be XGBoost's own, bit for bit, on rows like the ranker's
/// (19 columns, a share of them missing) and on deep trees.
@Suite("tree evaluator")
struct TreeEnsembleTests {
    /// `columns` features in [0, 1] with about a fifth missing; the label mixes three of them.
    static func rows(_ count: Int, columns: Int = 19, seed: UInt64) -> (FeatureMatrix, [Float]) {
        var rng = SeededGenerator(seed: seed)
        var m = FeatureMatrix(columns: columns)
        var labels: [Float] = []
        for _ in 0..<count {
            let x = (0..<columns).map { _ in rng.nextUnit() < 0.2 ? Float.nan : Float(rng.nextUnit()) }
            m.values += x
            let a = x[0].isNaN ? 0.3 : x[0], b = x[3].isNaN ? 0.8 : x[3], c = x[7].isNaN ? 0 : x[7]
            labels.append(min(1, max(0, 0.5 * a + 0.4 * b * b - 0.2 * c + 0.1 * Float(rng.nextUnit()))))
        }
        return (m, labels)
    }

    static func booster(objective: String, depth: Int, rounds: Int) throws -> Booster {
        let (m, labels) = rows(3_000, seed: 1)
        return try Booster.train(features: m, labels: labels, parameters: [
            ("objective", objective), ("tree_method", "hist"), ("max_depth", String(depth)), ("eta", "0.1"),
            ("seed", "4"), ("nthread", "1"), ("verbosity", "0"),
        ], rounds: rounds)
    }

    @Test("predictions equal XGBoost's bit for bit", arguments: [("reg:logistic", 6), ("reg:logistic", 10), ("reg:squarederror", 6)])
    func predictions(objective: String, depth: Int) throws {
        let booster = try Self.booster(objective: objective, depth: depth, rounds: 100)
        let trees = try TreeEnsemble(json: booster.saved())
        #expect(trees.treeCount == 100 && trees.featureCount == 19)
        let (probe, _) = Self.rows(2_000, seed: 2)
        let ours = trees.predict(probe), theirs = try booster.predict(probe)
        #expect(ours.count == theirs.count)
        let differing = zip(ours, theirs).filter { $0.bitPattern != $1.bitPattern }
        #expect(differing.isEmpty, "\(differing.count) of \(ours.count) differ, e.g. \(differing.prefix(3))")
    }

    @Test("TreeSHAP contributions equal XGBoost's pred_contribs", arguments: [6, 10])
    func contributions(depth: Int) throws {
        let booster = try Self.booster(objective: "reg:logistic", depth: depth, rounds: 100)
        let trees = try TreeEnsemble(json: booster.saved())
        let (probe, _) = Self.rows(300, seed: 3)
        var worst: Float = 0, exact = 0
        for r in 0..<probe.rows {
            let row = probe.row(r)
            let ours = trees.contributions(row)
            let theirs = try booster.contributions(FeatureMatrix(columns: 19, values: row))
            #expect(ours.count == 20 && theirs.count == 20)
            for (a, b) in zip(ours, theirs) {
                worst = max(worst, abs(a - b))
                if a.bitPattern == b.bitPattern { exact += 1 }
            }
        }
        // The same Float operations in the same order as XGBoost 1.7's RegTree::TreeShap.
        #expect(exact == probe.rows * 20, "\(exact) of \(probe.rows * 20) equal bit for bit; largest difference \(worst)")
        #expect(worst <= 1e-6)
    }

    @Test("a JSON that is not a tree model is refused with the field named")
    func refusals() throws {
        #expect(throws: InputError.self) { try TreeEnsemble(json: Array("{}".utf8)) }
        #expect(throws: InputError.self) { try TreeEnsemble(json: Array("not json".utf8)) }
        let booster = try Self.booster(objective: "reg:logistic", depth: 2, rounds: 2)
        let text = String(decoding: try booster.saved(), as: UTF8.self)
        let broken = text.replacingOccurrences(of: "\"left_children\"", with: "\"lost_children\"")
        #expect(throws: InputError.self) { try TreeEnsemble(json: Array(broken.utf8)) }
    }
}
