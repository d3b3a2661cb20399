import Core

/// What one arm recommended and how it was heard during a run (a day of a multi-day run): the
/// raw counts behind catalog coverage, exposure concentration, novelty and genre diversity.
/// Only recommended plays count; a session's first track is the listener's own.
public struct ArmExposure: Sendable, Equatable {
    /// A recommendation counts as heard from this fraction on (as `i2i-fresh` anchors).
    public static let heardThreshold: Float = 0.5

    /// Recommended plays of each track.
    public var recommended: [Int32]
    /// Of those, plays heard at least `heardThreshold`.
    public var heard: [Int32]
    /// Users with at least one session.
    public var users = 0
    /// Σ over those users of the distinct genres among the recommendations they heard.
    public var genresHeard = 0

    public init(tracks: Int) {
        recommended = Array(repeating: 0, count: tracks)
        heard = Array(repeating: 0, count: tracks)
    }

    @inline(__always)
    mutating func note(_ track: TrackID, fraction: Float) {
        recommended[Int(track)] &+= 1
        if fraction >= Self.heardThreshold { heard[Int(track)] &+= 1 }
    }

    mutating func add(_ other: ArmExposure) {
        for i in recommended.indices {
            recommended[i] &+= other.recommended[i]
            heard[i] &+= other.heard[i]
        }
        users += other.users
        genresHeard += other.genresHeard
    }
}

/// The distinct genres seen for one user, cleared per user in O(1) by a generation stamp.
struct GenreMarks {
    private var stamps: [UInt32]
    private var generation: UInt32 = 1
    private(set) var marked = 0

    init(count: Int) { stamps = Array(repeating: 0, count: count) }

    mutating func clear() {
        generation &+= 1
        if generation == 0 {  // wrapped: old stamps could match again
            for i in stamps.indices { stamps[i] = 0 }
            generation = 1
        }
        marked = 0
    }

    mutating func mark(_ track: TrackID, in catalog: Catalog) {
        for g in catalog.genres(track) where stamps[Int(g)] != generation {
            stamps[Int(g)] = generation
            marked += 1
        }
    }
}
