/// Holm–Bonferroni step-down adjustment: with m tests, the k-th smallest p-value is multiplied
/// by (m − k + 1), and adjusted values are made monotone. Controls the family-wise error rate
/// of a report with several treatments against one control. NaN p-values (a comparison that
/// could not be made) stay NaN and do not count towards m.
public enum Holm {
    public static func adjust(_ pValues: [Double]) -> [Double] {
        let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { pValues[$0] < pValues[$1] }
        var adjusted = pValues
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(order.count - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
