import Core

/// The shared last resorts. botify's own strategies end in `random-fresh`, which never repeats
/// a session's track while another remains, so the no-repeat rule holds whatever fired before.
/// The course mirrors end in the course's `random` (repeats allowed), as the course service does.
struct Fallbacks: Sendable {
    let random = FreshRandomRecommender()
    /// The course mirrors' last resort: `random` as the course serves it (repeats allowed).
    let courseRandom = RandomRecommender()
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

    func courseRandom(_ context: RecommendationContext, because why: String, using rng: inout SeededGenerator) -> Recommendation {
        var r = courseRandom.next(context, using: &rng)
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
