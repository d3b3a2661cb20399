import Core

extension LongTermReport {
    /// The report as the database keeps it (`LongTermStore`), with what ran: the caller's
    /// `run` carries the command, sizes, seed and options, and its series are replaced by this
    /// report's (every day of every arm, and the long-term metric per arm with its comparison).
    public func stored(_ run: LongTermRun) -> LongTermRun {
        var stored = run
        stored.title = title
        stored.arms = arms.map(\.arm)
        stored.control = control
        stored.days = days
        stored.listeners = returning
        stored.method = method
        stored.daily = daily.map { d in
            LongTermDay(day: d.day, arm: d.arm, activeUsers: d.activeUsers, sessions: d.sessions,
                        meanLength: d.meanLength.value, meanLengthLow: d.meanLength.ciLow, meanLengthHigh: d.meanLength.ciHigh,
                        retention: d.retention, listeningPerAssignedUser: d.listeningPerAssignedUser,
                        coverageRecommended: d.coverageRecommended, coverageHeard: d.coverageHeard,
                        topOnePercentShare: d.topOnePercentShare, gini: d.gini, novelty: d.novelty,
                        genresPerUser: d.genresPerUser)
        }
        stored.totals = arms.map { a in
            let c = comparisons.first { $0.treatment == a.arm }
            return LongTermArmTotal(
                arm: a.arm, assignedUsers: a.assignedUsers, listening: a.listening.value, listeningLow: a.listening.ciLow,
                listeningHigh: a.listening.ciHigh, retainedLastDay: a.retainedLastDay, churned: a.churned,
                versusControl: c.map {
                    LongTermUplift(difference: $0.listening.difference, differenceLow: $0.listening.ciLow,
                                   differenceHigh: $0.listening.ciHigh, relative: $0.listening.relative,
                                   relativeLow: $0.listening.relativeLow, relativeHigh: $0.listening.relativeHigh,
                                   pValue: $0.listening.pValue, adjustedPValue: $0.adjustedPValue, significant: $0.significant)
                })
        }
        return stored
    }
}
