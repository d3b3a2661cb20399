import ArgumentParser
import Core
import Ranking
import Recommenders

/// The ranker's business rules as flags (docs/RANKER.md "Rules"), for `simulate`, `ab` and
/// `eval`; each defaults to `RankerConfig`'s value.
struct RankerRuleFlags: ParsableArguments {
    @Option(name: .customLong("artist-cap"), parsing: .unconditional,
            help: "ranker: at most this many plays of one artist among the session's last --artist-window plays, 1…100.")
    var artistCap = RankerConfig().artistCap

    @Option(name: .customLong("artist-window"), parsing: .unconditional, help: "ranker: plays the artist cap looks back over, 1…1000.")
    var artistWindow = RankerConfig().artistWindow

    @Option(name: .customLong("mmr-lambda"), parsing: .unconditional,
            help: "ranker: MMR diversity weight d in a candidate list, (1 − d)·score − d·similarity, in [0, 1].")
    var mmrLambda = Double(RankerConfig().diversity)

    @Option(parsing: .unconditional, help: "ranker: share of picks drawn uniformly from the capped candidate union, in [0, 1].")
    var exploration = RankerConfig().exploration

    func validate() throws {
        try SizeLimits.check(artistCap, "--artist-cap", 1...100)
        try SizeLimits.check(artistWindow, "--artist-window", 1...1_000)
        guard mmrLambda.isFinite, (0...1).contains(mmrLambda) else {
            throw InputError(field: "--mmr-lambda", value: String(mmrLambda), "must be in [0, 1]")
        }
        guard exploration.isFinite, (0...1).contains(exploration) else {
            throw InputError(field: "--exploration", value: String(exploration), "must be in [0, 1]")
        }
    }

    var config: RankerConfig {
        RankerConfig(artistCap: artistCap, artistWindow: artistWindow, diversity: Float(mmrLambda), exploration: exploration)
    }

    var isDefault: Bool { config == RankerConfig() }

    /// The run's ranker arms under these rules (the others as they are).
    func apply(_ recommenders: [any Recommender]) -> [any Recommender] {
        guard !isDefault else { return recommenders }
        return recommenders.map { ($0 as? RankerRecommender)?.withRules(config) ?? $0 }
    }
}
