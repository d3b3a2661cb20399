import Core

/// The simulated users, column by column (the course's `users.json` fields).
public struct UserPopulation: Sendable, Equatable {
    /// External user ids (0..<count for a generated world; whatever the file said on import).
    public var ids: [Int64]
    /// User u's interests are `interests[interestOffsets[u]..<interestOffsets[u+1]]`.
    public var interestOffsets: [Int32]
    public var interests: [TrackID]
    public var consumeBias: [Double]
    public var consumeSharpness: [Double]
    public var sessionBudget: [Int32]
    public var artistDiscountGamma: [Double]
    /// The course's `interest_neighbours`: a session's first track is drawn uniformly from this
    /// many nearest tracks to its interest (the course's default is 10).
    public var interestNeighbours: [Int32]

    /// `interestNeighbours` nil gives every user the course default, 10.
    public init(ids: [Int64], interestOffsets: [Int32], interests: [TrackID], consumeBias: [Double],
                consumeSharpness: [Double], sessionBudget: [Int32], artistDiscountGamma: [Double],
                interestNeighbours: [Int32]? = nil) {
        let neighbours = interestNeighbours ?? [Int32](repeating: 10, count: ids.count)
        precondition(interestOffsets.count == ids.count + 1 && consumeBias.count == ids.count
                     && consumeSharpness.count == ids.count && sessionBudget.count == ids.count
                     && artistDiscountGamma.count == ids.count && neighbours.count == ids.count,
                     "user columns must have one row per user")
        precondition(neighbours.allSatisfy { $0 > 0 }, "interest_neighbours must be positive")
        self.interestNeighbours = neighbours
        self.ids = ids
        self.interestOffsets = interestOffsets
        self.interests = interests
        self.consumeBias = consumeBias
        self.consumeSharpness = consumeSharpness
        self.sessionBudget = sessionBudget
        self.artistDiscountGamma = artistDiscountGamma
    }

    public var count: Int { ids.count }

    public func interests(of user: Int) -> ArraySlice<TrackID> {
        interests[Int(interestOffsets[user])..<Int(interestOffsets[user + 1])]
    }

    /// The first `count` users (a generated population is prefix-stable: user u never depends on N).
    public func prefix(_ count: Int) -> UserPopulation {
        let end = Int(interestOffsets[count])
        return UserPopulation(ids: Array(ids.prefix(count)), interestOffsets: Array(interestOffsets.prefix(count + 1)),
                              interests: Array(interests.prefix(end)), consumeBias: Array(consumeBias.prefix(count)),
                              consumeSharpness: Array(consumeSharpness.prefix(count)),
                              sessionBudget: Array(sessionBudget.prefix(count)),
                              artistDiscountGamma: Array(artistDiscountGamma.prefix(count)),
                              interestNeighbours: Array(interestNeighbours.prefix(count)))
    }
}
