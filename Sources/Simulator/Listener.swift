import Core

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// What a listener did with one recommended track.
public struct ListenDecision: Sendable, Equatable {
    /// Fraction of the track heard, 0…1.
    public var fraction: Float
    /// True when the listener ends the session after this track.
    public var sessionEnded: Bool

    public init(fraction: Float, sessionEnded: Bool) {
        self.fraction = fraction
        self.sessionEnded = sessionEnded
    }
}

/// The listener role (docs/ARCHITECTURE.md §3): given a recommendation, decide how much of it to hear and
/// whether to go on. The simulated listener implements it here; the TUI's person is the other.
public protocol Listener {
    mutating func listen(to track: TrackID, using rng: inout SeededGenerator) -> ListenDecision
}

/// The botify course's user model (`sim/envs/user.py`), exactly.
public enum CourseListenerModel {
    /// Rounds to two decimals the way `numpy.around(x, 2)` does: x·100 rounded half to even, / 100.
    @inline(__always)
    public static func round2(_ x: Double) -> Double {
        (x * 100).rounded(.toNearestOrEven) / 100
    }

    /// round2(sigmoid((score − bias) · sharpness) · gamma^artistPlays), with the floating types
    /// of the course's NumPy code (NumPy 2 promotion: Python floats from `users.json` take the
    /// array's dtype):
    /// - float32 worlds: in Double after the Float32 score (the course's float32 steps differ
    ///   from it on rare rounding ties; docs/ARCHITECTURE.md §3);
    /// - float16 worlds (`score` a Float16 value, `TasteSpace.listenScore`): `score − bias` and
    ///   `· sharpness` in float16 (bias and sharpness rounded to Float16, each operation done in
    ///   Float32 and rounded to Float16 (`Half.round`), as NumPy's half arithmetic does), then `expit` in
    ///   Double (SciPy's expit has no float16 loop and takes its first safe one, `d->d`), the
    ///   float64 discount `np.power(gamma, n)` and `np.around` in Double.
    @inline(__always)
    public static func fraction(score: Float, bias: Double, sharpness: Double, gamma: Double, artistPlays: Int,
                                precision: TasteSpace.Precision = .float32) -> Double {
        let x: Double
        switch precision {
        case .float32:
            x = (Double(score) - bias) * sharpness
        case .float16:
            let shifted = Half.round(score - Float(Half.round(bias)))
            x = Double(Half.round(shifted * Float(Half.round(sharpness))))
        }
        let raw = 1 / (1 + exp(-x))
        let discount = artistPlays == 0 ? 1 : pow(gamma, Double(artistPlays))
        return round2(raw * discount)
    }
}

/// One simulated user listening to one session at a time. Reusable across sessions (its
/// buffers keep their capacity), so the headless loop allocates nothing per play.
public struct SimulatedListener: Listener, Sendable {
    public let world: World
    public private(set) var user: Int
    /// Index into `world.users.interests` of this session's interest.
    public private(set) var interestSlot = 0
    public private(set) var budget = 0
    /// Tracks heard in this session, in order, and their artists.
    public private(set) var played: [TrackID] = []
    private var playedArtists: [Int32] = []
    /// Past `indexedAfter` plays, `played` as a set and plays per artist, so `fraction` costs
    /// the same on the 2,000th play as on the 40th; short sessions (most) stay on plain scans,
    /// which are cheaper than hashing.
    private var playedSet: Set<TrackID> = []
    private var artistPlays: [Int32: Int] = [:]
    private var bias: Double
    private var sharpness: Double
    private var gamma: Double
    /// Drifted session embeddings and their start lists (`InterestDrift`); nil: the world's own.
    public let drift: DriftedInterests?

    public init(world: World, user: Int, drift: DriftedInterests? = nil) {
        precondition(user >= 0 && user < world.users.count, "unknown simulated user \(user)")
        self.world = world
        self.user = user
        self.drift = drift
        bias = 0; sharpness = 0; gamma = 0
        played.reserveCapacity(64)
        playedArtists.reserveCapacity(64)
        switchUser(user)
    }

    /// Makes this listener another user (between sessions).
    public mutating func switchUser(_ user: Int) {
        self.user = user
        bias = world.users.consumeBias[user]
        sharpness = world.users.consumeSharpness[user]
        gamma = world.users.artistDiscountGamma[user]
        budget = 0
    }

    public var interest: TrackID { world.users.interests[interestSlot] }
    public var isFinished: Bool { budget <= 0 }
    public var userID: Int64 { world.users.ids[user] }

    /// Starts a session: an interest at random, then the first track uniformly among its
    /// `interest_neighbours` nearest tracks (the user's own), heard completely. Returns that first track.
    /// With drift the nearest tracks are those of the interest's drifted embedding.
    public mutating func startSession(using rng: inout SeededGenerator) -> TrackID {
        let first = Int(world.users.interestOffsets[user]), end = Int(world.users.interestOffsets[user + 1])
        interestSlot = first + rng.nextIndex(end - first)
        let wanted = min(Int(world.users.interestNeighbours[user]), world.candidateCount)
        let track: TrackID
        if let drift {
            let starts = drift.start(slot: interestSlot, count: wanted)
            let available = starts.prefix { $0 >= 0 }.count
            track = starts[starts.startIndex + rng.nextIndex(available)]
        } else {
            let base = interestSlot * world.candidateCount
            var available = 0
            while available < wanted, world.slotNearest[base + available] >= 0 { available += 1 }
            track = world.slotNearest[base + rng.nextIndex(available)]
        }
        resetSession()
        note(track)
        return track
    }

    /// Puts the listener in the middle of a session that someone else ran (the visible player).
    mutating func resume(interestSlot: Int, played tracks: [TrackID]) {
        self.interestSlot = interestSlot
        resetSession()
        for t in tracks { note(t) }
    }

    /// A fresh budget and nothing heard yet.
    private mutating func resetSession() {
        budget = Int(world.users.sessionBudget[user])
        played.removeAll(keepingCapacity: true)
        playedArtists.removeAll(keepingCapacity: true)
        if !playedSet.isEmpty {
            playedSet.removeAll(keepingCapacity: true)
            artistPlays.removeAll(keepingCapacity: true)
        }
    }

    private static let indexedAfter = 32

    private mutating func note(_ track: TrackID) {
        let artist = world.catalog.artistOfTrack[Int(track)]
        played.append(track)
        playedArtists.append(artist)
        if played.count > Self.indexedAfter {
            if playedSet.isEmpty {
                playedSet.formUnion(played)
                for a in playedArtists { artistPlays[a, default: 0] += 1 }
            } else {
                playedSet.insert(track)
                artistPlays[artist, default: 0] += 1
            }
        }
    }

    public func hasPlayed(_ track: TrackID) -> Bool {
        played.count > Self.indexedAfter ? playedSet.contains(track) : played.contains(track)
    }

    /// The fraction this user would hear of `track` now (no randomness; the budget is untouched).
    public func fraction(of track: TrackID) -> Double {
        if hasPlayed(track) { return 0 }
        let artist = world.catalog.artistOfTrack[Int(track)]
        var artistPlays = 0
        if played.count > Self.indexedAfter {
            artistPlays = self.artistPlays[artist] ?? 0
        } else {
            for a in playedArtists where a == artist { artistPlays += 1 }
        }
        let space = world.space, d = space.dimensions
        let score = space.vectors.withUnsafeBufferPointer { v in
            if let drift {
                return drift.vectors.withUnsafeBufferPointer { e in
                    space.listenScore(v.baseAddress! + Int(track) * d, e.baseAddress! + interestSlot * d)
                }
            }
            return space.listenScore(v.baseAddress! + Int(track) * d, v.baseAddress! + Int(interest) * d)
        }
        return CourseListenerModel.fraction(score: score, bias: bias, sharpness: sharpness, gamma: gamma,
                                            artistPlays: artistPlays, precision: space.precision)
    }

    /// Hears `track`: with probability 1 − fraction the budget drops by one; at 0 the session ends.
    public mutating func listen(to track: TrackID, using rng: inout SeededGenerator) -> ListenDecision {
        let f = fraction(of: track)
        if rng.nextUnit() > f { budget -= 1 }
        note(track)
        return ListenDecision(fraction: Float(f), sessionEnded: budget <= 0)
    }
}
