import Core
import Foundation
import Testing
@testable import Recommenders

@Suite("iALS")
struct IALSTests {
    /// Users in `clusters` taste groups consume mostly their group's items (with a popularity
    /// skew inside it) and some globally popular ones; 20% of each user's items held out.
    static func planted(users: Int = 300, items: Int = 240, clusters: Int = 6, perUser: Int = 20, seed: UInt64 = 1)
        -> (train: SparseMatrix, test: [[Int32]]) {
        var rng = SeededGenerator(seed: seed)
        var triples: [(row: Int32, column: Int32, value: Float)] = []
        var test: [[Int32]] = []
        for u in 0..<users {
            let c = u % clusters
            var chosen = Set<Int32>()
            while chosen.count < perUser {
                let i: Int
                if rng.nextUnit() < 0.8 {
                    let slot = Int(Double(items / clusters) * pow(rng.nextUnit(), 2))  // skew to low slots
                    i = slot * clusters + c
                } else {
                    i = Int(Double(items) * pow(rng.nextUnit(), 3))
                }
                chosen.insert(Int32(min(i, items - 1)))
            }
            let list = chosen.sorted()
            var held: [Int32] = []
            for i in list {
                if rng.nextUnit() < 0.2 { held.append(i) } else { triples.append((Int32(u), i, Float(1 + rng.nextIndex(3)))) }
            }
            test.append(held)
        }
        return (SparseMatrix(rows: users, columns: items, triples: triples), test)
    }

    static func recall(_ recs: (Int) -> [Int32], test: [[Int32]]) -> Double {
        var hits = 0, total = 0
        for (u, held) in test.enumerated() where !held.isEmpty {
            let r = Set(recs(u))
            hits += held.filter { r.contains($0) }.count
            total += min(held.count, 10)
        }
        return Double(hits) / Double(total)
    }

    @Test("on a planted low-rank matrix iALS recall@10 beats top-pop by a wide margin")
    func plantedRecall() {
        let (train, test) = Self.planted()
        let model = IALS.train(train, parameters: IALS.Parameters(factors: 12, iterations: 8, alpha: 5, regularization: 0.1, seed: 3, threads: 2))
        let alsRecall = Self.recall({ model.recommend(user: $0, k: 10, excluding: train) }, test: test)
        var popularity = Array(repeating: 0, count: train.columns)
        for i in train.indices { popularity[Int(i)] += 1 }
        let order = (0..<train.columns).sorted { popularity[$0] > popularity[$1] || (popularity[$0] == popularity[$1] && $0 < $1) }
        let popRecall = Self.recall({ u in
            let seen = Set(train.indices[train.offsets[u]..<train.offsets[u + 1]])
            return Array(order.lazy.map { Int32($0) }.filter { !seen.contains($0) }.prefix(10))
        }, test: test)
        #expect(alsRecall > 2 * popRecall && alsRecall - popRecall > 0.15, "iALS \(alsRecall) vs top-pop \(popRecall)")
    }

    @Test("same seed gives the same factors with 1 or 2 threads")
    func determinism() {
        let (train, _) = Self.planted(users: 120, items: 90)
        let p1 = IALS.Parameters(factors: 8, iterations: 3, seed: 9, threads: 1)
        var p2 = p1
        p2.threads = 2
        let a = IALS.train(train, parameters: p1), b = IALS.train(train, parameters: p2)
        #expect(a.userFactors == b.userFactors && a.itemFactors == b.itemFactors)
    }

    @Test("training lowers the loss")
    func lossDecreases() {
        let (train, _) = Self.planted(users: 120, items: 90)
        let p = IALS.Parameters(factors: 8, iterations: 1, seed: 2, threads: 1)
        var model = IALS(users: train.rows, items: train.columns, parameters: p)
        let before = model.loss(train)
        let t = train.transposed()
        for _ in 0..<4 { model.iterate(userItems: train, itemUsers: t) }
        #expect(model.loss(train) < before * 0.8)
    }

    @Test("fold-in from history ranks the listener's taste group first; HNSW serving agrees")
    func foldIn() throws {
        let catalog = makeCatalog(count: 120, artists: 10)
        let sessions = groupedSessions(catalog: catalog, groups: 4, sessions: 400)
        let options = TrainingOptions(factors: 8, iterations: 8, alpha: 5, regularization: 0.1, seed: 1, threads: 1)
        for threshold in [1_000_000, 1] {  // exact scan, then HNSW
            let model = try ALSTrainer(annThreshold: threshold, hnsw: HNSWParameters(m: 8, efConstruction: 40)).train(sessions, catalog: catalog, options: options)
            let rec = try ALSRecommender(index: CatalogIndex(catalog), model: model)
            #expect((rec.model?.index == nil) == (threshold > 1))
            var rng = SeededGenerator(seed: 1)
            // A brand-new user who heard three tracks of group 2.
            let context = RecommendationContext(user: 12_345, session: [(2, 1), (6, 1), (10, 0.9)], catalog: catalog)
            let c = rec.candidates(context, k: 5, using: &rng)
            let inGroup = c.filter { Int($0.track) % 4 == 2 }.count
            #expect(inGroup >= 4, "candidates \(c.map(\.track))")
        }
    }
}
