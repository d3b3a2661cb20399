import Core

/// The shared last resorts. Every strategy ends in `random`, which never repeats a session's
/// track while another remains, so the no-repeat rule holds whatever fired before.
struct Fallbacks: Sendable {
    let random = RandomRecommender()
    let popular: TopPopRecommender

    init(index: CatalogIndex) {
        popular = TopPopRecommender(index: index)
    }

    /// The popular fallback, its reason prefixed with why it fired.
    func popular(_ context: RecommendationContext, because why: String, using rng: inout SeededGenerator) -> Recommendation {
        var r = popular.next(context, using: &rng)
        r.reason = "\(why): \(r.reason) (fallback)"
        return r
    }

    func random(_ context: RecommendationContext, because why: String, using rng: inout SeededGenerator) -> Recommendation {
        var r = random.next(context, using: &rng)
        r.reason = "\(why): \(r.reason) (fallback)"
        return r
    }
}

/// Candidate lists from a ranked source: the first `k` unplayed, then padded by a fallback.
func fillCandidates(_ ranked: [Recommendation], k: Int, context: RecommendationContext,
                    fallback: Recommender, using rng: inout SeededGenerator) -> [Recommendation] {
    var out: [Recommendation] = []
    var seen = Set<TrackID>()
    for r in ranked where out.count < k && !context.played(r.track) && seen.insert(r.track).inserted { out.append(r) }
    if out.count < k {
        for r in fallback.candidates(context, k: k, using: &rng) where out.count < k && seen.insert(r.track).inserted {
            out.append(r)
        }
    }
    return out
}
