import Core
import Foundation

/// The booster's trees in flat arrays, evaluated in Swift: the ranker's serving path.
///
/// Why not XGBoost's own prediction: a call builds a DMatrix, converts every row to its sparse
/// page and runs a predictor written for millions of rows, which for the ~150 candidates of one
/// `next()` cost 0.95 ms (p50, release, 2026-12-04) of the 2.46 ms pick; its in-place
/// `XGBoosterPredictFromDense` was measured no faster here, and `pred_contribs` for the one
/// chosen row cost 0.87 ms more. Walking 100 trees of depth 6 over contiguous arrays is a few
/// microseconds per row. The arithmetic is XGBoost 1.7's, operation for operation and in Float,
/// so the predictions and contributions are bit for bit XGBoost's (`TreeEnsembleTests`).
public struct TreeEnsemble: Sendable {
    /// Per node, all trees one after the other; a leaf has `left == -1` and its value in `threshold`.
    let feature: [Int32]
    let threshold: [Float]
    let left: [Int32]
    let right: [Int32]
    let defaultLeft: [Bool]
    /// The hessian sum of the training rows that reached the node (XGBoost's `sum_hess`,
    /// TreeSHAP's "cover").
    let cover: [Float]
    /// The cover-weighted mean leaf value under each node (XGBoost's node mean values).
    let mean: [Float]
    /// Where each tree's root is in the node arrays.
    let roots: [Int32]
    /// The deepest tree's depth (sizes TreeSHAP's path buffer).
    let maxDepth: Int
    /// Each tree's depth: `predict` walks exactly that many steps in every tree.
    let depths: [Int32]
    /// Per node, its two children (left, right), a leaf's both itself; and 1 where a missing
    /// value goes right. With these a step needs no branch (see `predict`).
    let children: [Int32]
    let missingGoesRight: [UInt8]
    public let featureCount: Int
    /// Margin every prediction starts from (XGBoost's base_score, turned into the objective's margin).
    let baseMargin: Float
    let logistic: Bool

    /// Reads the trees from XGBoost's JSON model (`Booster.saved()`).
    public init(json bytes: [UInt8], what: String = "XGBoost model") throws {
        func fail(_ field: String, _ message: String) -> InputError { InputError(file: what, field: field, message) }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let learner = root["learner"] as? [String: Any] else { throw fail("learner", "not an XGBoost JSON model") }
        guard let param = learner["learner_model_param"] as? [String: Any],
              let baseText = param["base_score"] as? String, let base = Float(baseText),
              let featuresText = param["num_feature"] as? String, let features = Int(featuresText) else {
            throw fail("learner_model_param", "no base_score or num_feature")
        }
        guard (param["num_class"] as? String).flatMap(Int.init) ?? 0 <= 1 else { throw fail("num_class", "only single-output models are served") }
        let objective = (learner["objective"] as? [String: Any])?["name"] as? String ?? ""
        switch objective {
        case "reg:logistic", "binary:logistic":
            logistic = true
            // XGBoost's ProbToMargin for the logistic objectives, in Float as it computes it.
            baseMargin = -logf(1 / base - 1)
        case "reg:squarederror":
            logistic = false
            baseMargin = base
        default:
            throw fail("objective", "objective '\(objective)' is not served by the tree evaluator")
        }
        guard let booster = learner["gradient_booster"] as? [String: Any], booster["name"] as? String == "gbtree",
              let model = booster["model"] as? [String: Any], let trees = model["trees"] as? [[String: Any]] else {
            throw fail("gradient_booster", "not a gbtree model")
        }
        var feature: [Int32] = [], threshold: [Float] = [], left: [Int32] = [], right: [Int32] = []
        var defaultLeft: [Bool] = [], cover: [Float] = [], roots: [Int32] = []
        for (t, tree) in trees.enumerated() {
            func floats(_ key: String) throws -> [Float] {
                guard let a = tree[key] as? [NSNumber] else { throw fail("trees[\(t)].\(key)", "missing") }
                return a.map { $0.floatValue }
            }
            func ints(_ key: String) throws -> [Int32] {
                guard let a = tree[key] as? [NSNumber] else { throw fail("trees[\(t)].\(key)", "missing") }
                return a.map { $0.int32Value }
            }
            let l = try ints("left_children"), r = try ints("right_children"), s = try ints("split_indices")
            let c = try floats("split_conditions"), d = try ints("default_left"), h = try floats("sum_hessian")
            let n = l.count
            guard n > 0, [r.count, s.count, c.count, d.count, h.count].allSatisfy({ $0 == n }) else {
                throw fail("trees[\(t)]", "node arrays of different lengths")
            }
            if let types = tree["split_type"] as? [NSNumber], types.contains(where: { $0.intValue != 0 }) {
                throw fail("trees[\(t)].split_type", "categorical splits are not served by the tree evaluator")
            }
            for i in 0..<n where l[i] != -1 {
                guard (0..<n).contains(Int(l[i])), (0..<n).contains(Int(r[i])), (0..<features).contains(Int(s[i])) else {
                    throw fail("trees[\(t)]", "node \(i) points outside the tree")
                }
            }
            let offset = Int32(feature.count)
            roots.append(offset)
            feature += s
            threshold += c
            left += l.map { $0 == -1 ? -1 : $0 + offset }
            right += r.map { $0 == -1 ? -1 : $0 + offset }
            defaultLeft += d.map { $0 != 0 }
            cover += h
        }
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right
        self.defaultLeft = defaultLeft
        self.cover = cover
        self.roots = roots
        featureCount = features
        var mean = [Float](repeating: 0, count: feature.count)
        var depths: [Int32] = []
        for r in roots {
            _ = Self.fillMean(Int(r), left: left, right: right, threshold: threshold, cover: cover, into: &mean)
            depths.append(Int32(Self.depth(Int(r), left: left, right: right)))
        }
        self.mean = mean
        self.depths = depths
        maxDepth = Int(depths.max() ?? 0)
        var children: [Int32] = []
        children.reserveCapacity(2 * feature.count)
        for n in 0..<feature.count {
            let leaf = left[n] == -1
            children.append(leaf ? Int32(n) : left[n])
            children.append(leaf ? Int32(n) : right[n])
        }
        self.children = children
        missingGoesRight = defaultLeft.map { $0 ? 0 : 1 }
    }

    /// XGBoost's FillNodeMeanValues: a leaf's value, else the children's means weighted by cover.
    private static func fillMean(_ n: Int, left: [Int32], right: [Int32], threshold: [Float], cover: [Float],
                                 into mean: inout [Float]) -> Float {
        let result: Float
        if left[n] == -1 {
            result = threshold[n]
        } else {
            let l = Int(left[n]), r = Int(right[n])
            var sum = fillMean(l, left: left, right: right, threshold: threshold, cover: cover, into: &mean) * cover[l]
            sum += fillMean(r, left: left, right: right, threshold: threshold, cover: cover, into: &mean) * cover[r]
            result = sum / cover[n]
        }
        mean[n] = result
        return result
    }

    private static func depth(_ n: Int, left: [Int32], right: [Int32]) -> Int {
        left[n] == -1 ? 0 : 1 + max(depth(Int(left[n]), left: left, right: right), depth(Int(right[n]), left: left, right: right))
    }

    public var treeCount: Int { roots.count }

    /// The child `x` goes to from node `n`: left below the threshold, NaN (missing) the learned way.
    @inline(__always)
    private func child(_ n: Int, _ x: Float) -> Int {
        Int(x.isNaN ? (defaultLeft[n] ? left[n] : right[n]) : (x < threshold[n] ? left[n] : right[n]))
    }

    /// One prediction per row of `features` (the objective's output, a fraction for
    /// reg:logistic), as XGBoost's CPU predictor computes it: each row's trees summed in tree
    /// order in Float from the base margin, then the sigmoid.
    ///
    /// The hot path of the ranker's scoring (~250 rows × 100 trees per pick). A walk that
    /// branches at every node waits on each of its loads in turn; here a leaf is its own child and
    /// every row takes exactly the tree's depth in steps, each choosing a child by index, eight
    /// rows in lockstep so that their loads overlap. Measured in docs/RANKER.md ("Latency by
    /// stage").
    public func predict(_ features: FeatureMatrix) -> [Float] {
        precondition(features.columns == featureCount, "the trees read \(featureCount) features")
        let columns = features.columns, rows = features.rows
        var margins = [Float](repeating: baseMargin, count: rows)
        features.values.withUnsafeBufferPointer { values in
            feature.withUnsafeBufferPointer { feature in
                threshold.withUnsafeBufferPointer { threshold in
                    children.withUnsafeBufferPointer { children in
                        missingGoesRight.withUnsafeBufferPointer { missingRight in
                            margins.withUnsafeMutableBufferPointer { margins in
                                // Eight rows at a time through each tree: eight independent walks
                                // whose loads overlap, where one walk waits on each of its loads.
                                let lanes = 8
                                withUnsafeTemporaryAllocation(of: Int.self, capacity: lanes) { nodes in
                                    for (root, depth) in zip(roots, depths) {
                                        var start = 0
                                        while start < rows {
                                            let count = min(lanes, rows - start)
                                            let x = values.baseAddress! + start * columns
                                            for lane in 0..<count { nodes[lane] = Int(root) }
                                            for _ in 0..<depth {
                                                for lane in 0..<count {
                                                    let n = nodes[lane]
                                                    let v = x[lane * columns + Int(feature[n])]
                                                    // NaN compares false: right, unless the node sends missing values left.
                                                    let right = v.isNaN ? Int(missingRight[n]) : (v < threshold[n] ? 0 : 1)
                                                    nodes[lane] = Int(children[2 * n + right])
                                                }
                                            }
                                            for lane in 0..<count { margins[start + lane] += threshold[nodes[lane]] }
                                            start += lanes
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return margins.map(transform)
    }

    /// XGBoost's PredTransform: `1 / (1 + e^−x)` for the logistic objectives, as its Sigmoid
    /// computes it in Float.
    func transform(_ margin: Float) -> Float {
        guard logistic else { return margin }
        let denominator = expf(-margin) + 1 + 1e-16
        return 1 / denominator
    }

    /// The exact TreeSHAP contributions of one row (Lundberg et al., 2018, Algorithm 2), in
    /// margin units, `featureCount + 1` values with the bias last: what XGBoost's
    /// `pred_contribs` gives (RegTree::CalculateContributions), so they add up to the margin.
    public func contributions(_ row: [Float]) -> [Float] {
        precondition(row.count == featureCount, "the trees read \(featureCount) features")
        var phi = [Float](repeating: 0, count: featureCount + 1)
        var tree = [Float](repeating: 0, count: featureCount + 1)
        let size = maxDepth + 2
        var path = [PathElement](repeating: PathElement(), count: size * (size + 1) / 2)
        for root in roots {
            for i in tree.indices { tree[i] = 0 }
            tree[featureCount] += mean[Int(root)]
            path.withUnsafeMutableBufferPointer { path in
                shap(row, &tree, node: Int(root), depth: 0, parent: path.baseAddress!,
                     zeroFraction: 1, oneFraction: 1, feature: -1, conditionFraction: 1)
            }
            for i in phi.indices { phi[i] += tree[i] }
        }
        phi[featureCount] += baseMargin
        return phi
    }

    struct PathElement {
        var feature: Int32 = 0
        var zeroFraction: Float = 0
        var oneFraction: Float = 0
        var weight: Float = 0
    }

    /// RegTree::TreeShap without the conditioning arguments (`condition` 0), the same
    /// operations in the same order.
    private func shap(_ x: [Float], _ phi: inout [Float], node: Int, depth: Int, parent: UnsafeMutablePointer<PathElement>,
                      zeroFraction: Float, oneFraction: Float, feature parentFeature: Int32, conditionFraction: Float) {
        var depth = depth
        let path = parent + depth + 1
        path.update(from: parent, count: depth + 1)
        Self.extend(path, depth, zeroFraction, oneFraction, parentFeature)
        if left[node] == -1 {
            let value = threshold[node]
            for i in stride(from: 1, through: depth, by: 1) {
                let w = Self.unwoundSum(path, depth, i)
                let e = path[i]
                phi[Int(e.feature)] += w * (e.oneFraction - e.zeroFraction) * value * conditionFraction
            }
            return
        }
        let split = feature[node]
        let hot = child(node, x[Int(split)])
        let cold = hot == Int(left[node]) ? Int(right[node]) : Int(left[node])
        let w = cover[node]
        let hotZero = cover[hot] / w
        let coldZero = cover[cold] / w
        var incomingZero: Float = 1, incomingOne: Float = 1
        var index = 0
        while index <= depth, path[index].feature != split { index += 1 }
        if index != depth + 1 {
            incomingZero = path[index].zeroFraction
            incomingOne = path[index].oneFraction
            Self.unwind(path, depth, index)
            depth -= 1
        }
        shap(x, &phi, node: hot, depth: depth + 1, parent: path, zeroFraction: hotZero * incomingZero,
             oneFraction: incomingOne, feature: split, conditionFraction: conditionFraction)
        shap(x, &phi, node: cold, depth: depth + 1, parent: path, zeroFraction: coldZero * incomingZero,
             oneFraction: 0, feature: split, conditionFraction: conditionFraction)
    }

    private static func extend(_ p: UnsafeMutablePointer<PathElement>, _ depth: Int, _ zero: Float, _ one: Float, _ feature: Int32) {
        p[depth] = PathElement(feature: feature, zeroFraction: zero, oneFraction: one, weight: depth == 0 ? 1 : 0)
        var i = depth - 1
        while i >= 0 {
            p[i + 1].weight += one * p[i].weight * Float(i + 1) / Float(depth + 1)
            p[i].weight = zero * p[i].weight * Float(depth - i) / Float(depth + 1)
            i -= 1
        }
    }

    private static func unwind(_ p: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) {
        let one = p[index].oneFraction, zero = p[index].zeroFraction
        var nextOne = p[depth].weight
        var i = depth - 1
        while i >= 0 {
            if one != 0 {
                let tmp = p[i].weight
                p[i].weight = nextOne * Float(depth + 1) / (Float(i + 1) * one)
                nextOne = tmp - p[i].weight * zero * Float(depth - i) / Float(depth + 1)
            } else {
                p[i].weight = (p[i].weight * Float(depth + 1)) / (zero * Float(depth - i))
            }
            i -= 1
        }
        for j in index..<depth {
            p[j].feature = p[j + 1].feature
            p[j].zeroFraction = p[j + 1].zeroFraction
            p[j].oneFraction = p[j + 1].oneFraction
        }
    }

    private static func unwoundSum(_ p: UnsafeMutablePointer<PathElement>, _ depth: Int, _ index: Int) -> Float {
        let one = p[index].oneFraction, zero = p[index].zeroFraction
        var nextOne = p[depth].weight
        var total: Float = 0
        var i = depth - 1
        while i >= 0 {
            if one != 0 {
                let tmp = nextOne * Float(depth + 1) / (Float(i + 1) * one)
                total += tmp
                nextOne = p[i].weight - tmp * zero * (Float(depth - i) / Float(depth + 1))
            } else if zero != 0 {
                total += (p[i].weight / zero) / (Float(depth - i) / Float(depth + 1))
            }
            i -= 1
        }
        return total
    }
}
