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

    public init(ids: [Int64], interestOffsets: [Int32], interests: [TrackID], consumeBias: [Double],
                consumeSharpness: [Double], sessionBudget: [Int32], artistDiscountGamma: [Double]) {
        precondition(interestOffsets.count == ids.count + 1 && consumeBias.count == ids.count
                     && consumeSharpness.count == ids.count && sessionBudget.count == ids.count
                     && artistDiscountGamma.count == ids.count, "user columns must have one row per user")
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
                              artistDiscountGamma: Array(artistDiscountGamma.prefix(count)))
    }
}
