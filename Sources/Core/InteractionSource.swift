/// One logged session as trainers see it: who listened to what, in order, and how much.
public struct ListeningSession: Sendable, Equatable {
    public var sessionID: Int64
    public var user: Int64
    public var tracks: [TrackID]
    public var fractions: [Float]

    public init(sessionID: Int64, user: Int64, tracks: [TrackID], fractions: [Float]) {
        self.sessionID = sessionID
        self.user = user
        self.tracks = tracks
        self.fractions = fractions
    }
}

/// Which logged sessions a trainer reads.
public struct InteractionFilter: Sendable, Equatable {
    public var sources: Set<ListenerSource>
    /// Only sessions with id in this range (nil = all).
    public var sessionIDs: ClosedRange<Int64>?

    public init(sources: Set<ListenerSource> = Set(ListenerSource.allCases), sessionIDs: ClosedRange<Int64>? = nil) {
        self.sources = sources
        self.sessionIDs = sessionIDs
    }
}

/// How recommenders read logged plays without knowing about SQLite (docs/ARCHITECTURE.md §1):
/// Storage implements it, tests implement it with arrays.
public protocol InteractionSource: Sendable {
    func sessions(matching filter: InteractionFilter) throws -> [ListeningSession]
}

/// Sessions held in memory (tests, and the simulator's day cycle before it hits the disk).
public struct InMemoryInteractions: InteractionSource {
    public var all: [ListeningSession]
    public init(_ all: [ListeningSession]) { self.all = all }

    public func sessions(matching filter: InteractionFilter) throws -> [ListeningSession] {
        guard let range = filter.sessionIDs else { return all }
        return all.filter { range.contains($0.sessionID) }
    }
}
