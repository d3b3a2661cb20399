import Core
import Foundation
import Recommenders

/// A synthetic implicit-feedback log with the shape of real listening data: item popularity
/// follows a power law, users draw most items from one or two taste clusters, counts are
/// geometric. Each user's items are split 80/20 into train and held-out.
struct ImplicitMatrix {
    var users: Int
    var items: Int
    var train: SparseMatrix
    var test: SparseMatrix

    static func generate(users: Int, items: Int, meanItemsPerUser: Int, clusters: Int, seed: UInt64) -> ImplicitMatrix {
        var rng = SeededGenerator(seed: seed, stream: 1)
        // Items: a cluster each and a Zipf-like weight by a random popularity rank.
        let clusterOf = (0..<items).map { _ in Int32(rng.nextIndex(clusters)) }
        var rank = Array(0..<items)
        rank.shuffle(using: &rng)
        let weight = rank.map { 1 / pow(Double($0 + 1), 0.9) }
        let global = CumulativeWeights(weight.indices.map { Int32($0) }, weight)
        var members = Array(repeating: [Int32](), count: clusters)
        for i in 0..<items { members[Int(clusterOf[i])].append(Int32(i)) }
        let perCluster = members.map { CumulativeWeights($0, $0.map { weight[Int($0)] }) }

        var trainTriples: [(row: Int32, column: Int32, value: Float)] = []
        var testTriples: [(row: Int32, column: Int32, value: Float)] = []
        trainTriples.reserveCapacity(users * meanItemsPerUser)
        for u in 0..<users {
            var r = SeededGenerator(seed: seed, stream: 2, UInt64(u))
            let home = r.nextIndex(clusters), second = r.nextIndex(clusters)
            // Log-normal item counts around the mean, at least 5 so a fifth can be held out.
            let n = max(5, Int(Double(meanItemsPerUser) * exp(0.6 * r.nextGaussian() - 0.18)))
            var chosen = Set<Int32>()
            var attempts = 0
            while chosen.count < n && attempts < n * 20 {
                attempts += 1
                let x = r.nextUnit()
                let item = x < 0.6 ? perCluster[home].sample(&r) : x < 0.85 ? perCluster[second].sample(&r) : global.sample(&r)
                chosen.insert(item)
            }
            var list = chosen.sorted()
            list.shuffle(using: &r)
            let held = max(1, list.count / 5)
            for (j, item) in list.enumerated() {
                var count: Float = 1
                while r.nextUnit() < 0.5 && count < 50 { count += 1 }
                if j < held { testTriples.append((Int32(u), item, 1)) } else { trainTriples.append((Int32(u), item, count)) }
            }
        }
        return ImplicitMatrix(users: users, items: items,
                              train: SparseMatrix(rows: users, columns: items, triples: trainTriples),
                              test: SparseMatrix(rows: users, columns: items, triples: testTriples))
    }
}

/// Draws ids with probability proportional to their weight (binary search on the running sum).
struct CumulativeWeights {
    let ids: [Int32]
    let cumulative: [Double]

    init(_ ids: [Int32], _ weights: [Double]) {
        self.ids = ids
        var sum = 0.0
        cumulative = weights.map { sum += $0; return sum }
    }

    func sample(_ rng: inout SeededGenerator) -> Int32 {
        let target = rng.nextUnit() * (cumulative.last ?? 0)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return ids[lo]
    }
}
