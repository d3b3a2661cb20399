/// One play's feature vector as the ranker computed it when the play was served, keyed like
/// its play: what Storage's `ranker_features` holds and Ranking's trainer reads.
public struct LoggedFeatureRow: Sendable, Equatable {
    public var sessionID: Int64
    public var position: Int32
    /// NaN = missing (the ranker's convention).
    public var values: [Float]

    public init(sessionID: Int64, position: Int32, values: [Float]) {
        self.sessionID = sessionID
        self.position = position
        self.values = values
    }
}
