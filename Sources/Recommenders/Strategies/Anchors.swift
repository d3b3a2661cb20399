import Core

/// How much a heard track speaks for the listener's taste right now. This session's plays
/// count fully; earlier sessions count a quarter, because a new session often follows another
/// interest of the same listener.
enum AnchorWeight {
    static let session: Float = 1
    static let history: Float = 0.25

    /// Visits every (track, weight) of the session and the history, weight > 0 only, and only
    /// plays heard at least `minimumFraction` (0: every play heard at all).
    static func forEach(_ context: RecommendationContext, minimumFraction: Float = 0, _ body: (TrackID, Float) -> Void) {
        for p in context.session where p.fraction > 0 && p.fraction >= minimumFraction { body(p.track, p.fraction * session) }
        for p in context.history where p.fraction > 0 && p.fraction >= minimumFraction { body(p.track, p.fraction * history) }
    }

    /// A track drawn with probability ∝ weight among those passing `eligible`, or nil.
    /// Two passes over the plays and no allocation.
    static func sample(_ context: RecommendationContext, minimumFraction: Float = 0, eligible: (TrackID) -> Bool,
                       using rng: inout SeededGenerator) -> TrackID? {
        var total: Float = 0
        forEach(context, minimumFraction: minimumFraction) { t, w in if eligible(t) { total += w } }
        guard total > 0 else { return nil }
        var target = Float(rng.nextUnit()) * total
        var chosen: TrackID?
        forEach(context, minimumFraction: minimumFraction) { t, w in
            guard chosen == nil, eligible(t) else { return }
            target -= w
            if target < 0 { chosen = t }
        }
        if chosen == nil { forEach(context, minimumFraction: minimumFraction) { t, _ in if eligible(t) { chosen = t } } }  // rounding at the end
        return chosen
    }

    /// Candidate tracks scored by Σ anchor weight × neighbour score over all anchors.
    static func aggregate(_ context: RecommendationContext, table: NeighbourTable, minimumFraction: Float = 0) -> [(TrackID, Float, TrackID)] {
        var scores: [TrackID: (Float, TrackID, Float)] = [:]  // score, best anchor, its contribution
        forEach(context, minimumFraction: minimumFraction) { anchor, w in
            guard Int(anchor) < table.trackCount else { return }
            for i in table.neighbours(of: anchor) {
                let c = w * table.scores[i]
                var e = scores[table.ids[i], default: (0, anchor, 0)]
                e.0 += c
                if c > e.2 { e.1 = anchor; e.2 = c }
                scores[table.ids[i]] = e
            }
        }
        return scores.map { ($0.key, $0.value.0, $0.value.1) }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    }
}
