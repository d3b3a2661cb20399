import Core

enum LibraryOrder {
    /// Every track ordered by `key`; ties fall back to track id so the order is stable.
    /// Popularity and year sort newest/most popular first, the way people browse.
    static func sorted(_ catalog: Catalog, by key: SortKey) -> [TrackID] {
        var ids = Array(catalog.trackIDs)
        func byText(_ text: (Int) -> String) {
            let keys = (0..<catalog.count).map { SearchIndex.fold(text($0)) }
            ids.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
        }
        switch key {
        case .title: byText { catalog.titles[$0] }
        case .artist: byText { catalog.artistNames[Int(catalog.artistOfTrack[$0])] + "\u{1}" + catalog.titles[$0] }
        case .album: byText { catalog.albums[$0] }
        case .genre: byText { catalog.mainGenreName(TrackID($0)) }
        case .year: ids.sort { catalog.years[Int($0)] != catalog.years[Int($1)] ? catalog.years[Int($0)] > catalog.years[Int($1)] : $0 < $1 }
        case .duration: ids.sort { catalog.durations[Int($0)] != catalog.durations[Int($1)] ? catalog.durations[Int($0)] < catalog.durations[Int($1)] : $0 < $1 }
        case .popularity:
            ids.sort { catalog.popularity[Int($0)] != catalog.popularity[Int($1)] ? catalog.popularity[Int($0)] > catalog.popularity[Int($1)] : $0 < $1 }
        }
        return ids
    }

    /// Popularity and year run high to low on their own; the rest A–Z, shortest first.
    static func naturallyDescending(_ key: SortKey) -> Bool { key == .popularity || key == .year }

    /// `reversed` for `key` to run in `direction`.
    static func reversed(_ key: SortKey, toRun direction: SortDirection) -> Bool {
        (direction == .desc) != naturallyDescending(key)
    }

    /// "year desc", as the header shows it and `sort KEY asc|desc` reads it.
    static func describe(_ key: SortKey, reversed: Bool) -> String {
        key.rawValue + ((naturallyDescending(key) != reversed) ? " desc" : " asc")
    }
}
