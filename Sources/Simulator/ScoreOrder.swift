import Core
import Foundation

/// Every track of the catalog by descending listener score (`TasteSpace.listenScore`) against
/// one interest (ties by track id), with the scores. A session's interest is fixed, so the oracle sorts once per interest
/// and then only walks the head of this order on each pick.
final class ScoreOrder: Sendable {
    let tracks: [TrackID]
    let scores: [Float]

    init(interest: TrackID, world: World) {
        let space = world.space
        var pairs = world.catalog.trackIDs.map { (score: space.listenScore($0, interest), track: $0) }
        pairs.sort { $0.score > $1.score || ($0.score == $1.score && $0.track < $1.track) }
        tracks = pairs.map(\.track)
        scores = pairs.map(\.score)
    }
}

/// Score orders of recently used interests, shared by the threads of a run (each works on one
/// session at a time, so a few entries stay hot) and by the visible player's calls, which
/// arrive one play at a time with no session object to hang state on.
final class ScoreOrderCache: @unchecked Sendable {
    // @unchecked: `entries` and `tick` are only touched while holding `lock`; the orders
    // themselves are immutable.
    private let lock = NSLock()
    private var entries: [TrackID: (order: ScoreOrder, used: UInt64)] = [:]
    private var tick: UInt64 = 0
    private let capacity: Int

    /// About 64 MB of orders, at least 8 (more threads than that rarely share one run).
    init(catalogCount: Int) {
        capacity = min(256, max(8, (64 << 20) / max(1, catalogCount * 8)))
    }

    func order(for interest: TrackID, world: World) -> ScoreOrder {
        if let hit = lock.withLock({ () -> ScoreOrder? in
            tick += 1
            entries[interest]?.used = tick
            return entries[interest]?.order
        }) { return hit }
        // Sorted outside the lock; two threads racing on one interest build equal orders.
        let order = ScoreOrder(interest: interest, world: world)
        lock.withLock {
            tick += 1
            entries[interest] = (order, tick)
            if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
                entries[oldest] = nil
            }
        }
        return order
    }
}
