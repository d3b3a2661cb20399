import Core
import Terminal
import Testing
@testable import TUI

/// Issue #16 item 4, browsing: the list's position, reverse sort, filters by genre, subgenre and
/// year range that combine with each other and the search, and the artist → album → track tree.
@Suite struct BrowseTests {
    /// The fixture catalog with subgenres: "hard rock" on Queen's two tracks, "j-pop" on the two
    /// Japanese ones, nothing elsewhere.
    static func catalogWithSubgenres() -> Catalog {
        let c = fixtureCatalog()
        let names = ["hard rock", "j-pop"]
        var offsets: [Int32] = [0], ids: [Int32] = []
        for t in c.trackIDs {
            if c.artistName(t) == "Queen" { ids.append(0) }
            if [3, 4].contains(t) { ids.append(1) }
            offsets.append(Int32(ids.count))
        }
        return Catalog(source: c.source, titles: c.titles, albums: c.albums, artistNames: c.artistNames, artistOfTrack: c.artistOfTrack,
                       years: c.years, durations: c.durations, popularity: c.popularity, genreNames: c.genreNames,
                       genreOffsets: c.genreOffsets, genreIDs: c.genreIDs, subgenreNames: names, subgenreOffsets: offsets,
                       subgenreIDs: ids, features: [])
    }

    static func titles(_ state: AppState) -> [String] { state.library.rows.map { state.catalog.title($0) } }

    static func header(_ state: AppState) -> String { AppView.render(state).lines[1] }

    // MARK: the year-range parser

    @Test func yearRangesParse() throws {
        #expect(try YearRange.parse("filter year", "1990-1999") == 1990...1999)
        #expect(try YearRange.parse("filter year", "1990 - 1999") == 1990...1999)
        #expect(try YearRange.parse("filter year", "1990–1999") == 1990...1999)
        #expect(try YearRange.parse("filter year", "1990..1999") == 1990...1999)
        #expect(try YearRange.parse("filter year", "2003") == 2003...2003)
        #expect(try Command.parse("filter year 1990-1999") == Command("filter year", .years(1990...1999)))
        #expect(Command("filter year", .years(1990...1999)).text == "filter year 1990-1999")
        #expect(Command("filter year", .years(1999...1999)).text == "filter year 1999")
    }

    @Test(arguments: [
        ("199x", "'filter year' needs a year or a range like 1990-1999, got '199x'"),
        ("1990-", "'filter year' needs a year or a range like 1990-1999, got '1990-'"),
        ("-1999", "'filter year' needs a year or a range like 1990-1999, got '-1999'"),
        ("1990-1995-1999", "'filter year' needs a year or a range like 1990-1999, got '1990-1995-1999'"),
        ("١٩٩٠", "'filter year' needs a year or a range like 1990-1999, got '١٩٩٠'"),
        ("1999-1990", "year range '1999-1990' runs backwards: write 1990-1999"),
        ("0", "year '0' is out of range (1-9999)"),
        ("99999999999999999999999", "year '99999999999999999999999' is out of range (1-9999)"),
    ])
    func badYearRangesSayWhatIsWrong(_ text: String, _ message: String) {
        #expect(throws: CommandError(message)) { try Command.parse("filter year " + text) }
    }

    @Test func badFilterArgumentsGiveOneMessageLine() {
        var state = makeState()
        // At the prompt, as a person types them: one error line, the list untouched.
        for line in ["filter year 1999-1990", "filter genre nosuch", "filter subgenre rock", "filter clear decade", "sort year sideways"] {
            apply(&state, .key(.char(":")))
            for c in line { apply(&state, .key(.char(c))) }
            apply(&state, .key(.enter))
            #expect(state.message?.isError == true, "\(line)")
            #expect(!(state.message?.text.contains("\n") ?? true))
            #expect(state.library.rows.count == state.catalog.count && state.library.filters.isEmpty)
        }
        #expect(state.message?.text == "unknown sort direction 'sideways' (one of: asc, desc, reverse)")
    }

    // MARK: filters

    @Test func filtersCombineWithEachOtherAndTheSearch() {
        var state = makeState()
        apply(&state, .command(Command("filter year", .years(1970...2005))))
        #expect(Set(Self.titles(state)) == ["Bohemian Rhapsody", "Don't Stop Me Now", "First Love", "Eres"])
        apply(&state, .command(.filterGenre("rock")))
        #expect(Set(Self.titles(state)) == ["Bohemian Rhapsody", "Don't Stop Me Now"])
        #expect(state.message?.text == "2 tracks of genre: rock, years: 1970–2005")
        apply(&state, .command(.search("now")))
        #expect(Self.titles(state) == ["Don't Stop Me Now"])
        #expect(Self.header(state).hasPrefix(" search \"now\" · genre: rock · years: 1970–2005 · sort: popularity desc"))
        apply(&state, .command(Command("filter clear", .text("year"))))
        #expect(Self.titles(state) == ["Don't Stop Me Now"] && state.library.filters == LibraryFilters(genre: 0))
        apply(&state, .command(.search("")), .command(.clearFilter))
        #expect(state.library.rows.count == 12 && state.message?.text == "no filter: the whole Library")
        // Unknown years (0) never match a range.
        apply(&state, .command(Command("filter year", .years(1...9999))))
        #expect(!Self.titles(state).contains("Nothing Else") && state.library.rows.count == 11)
    }

    @Test func filterYearWithNoArgumentTakesTheSelectedTracksYear() {
        var state = makeState()
        state.library.cursor = state.library.rows.firstIndex { state.catalog.title($0) == "Eres" }!
        apply(&state, .command(Command("filter year")))
        #expect(Self.titles(state) == ["Eres"] && state.library.filters.years == 2003...2003)
        apply(&state, .command(.clearFilter))
        state.library.cursor = state.library.rows.firstIndex { state.catalog.title($0) == "Nothing Else" }!
        apply(&state, .command(Command("filter year")))
        #expect(state.message == Message(text: "the selected track has no year", isError: true))
    }

    @Test func subgenresFilter() {
        var state = AppState(catalog: Self.catalogWithSubgenres(), strategies: TestStrategies(), user: 7, source: .human,
                             size: TerminalSize(width: 80, height: 24), seed: 42, now: 1_700_000_000)
        apply(&state, .command(Command("filter subgenre", .text("J-POP"))))
        #expect(Set(Self.titles(state)) == ["First Love", "東京フラワー"])
        #expect(Self.header(state).contains("subgenre: j-pop"))
        state.library.cursor = 0
        apply(&state, .command(.clearFilter), .command(.search("jazz")), .command(Command("filter subgenre")))
        #expect(Self.titles(state) == ["Don't Stop Me Now"])  // the selected track's subgenre, hard rock, and the search
        // A catalog without subgenres says so.
        var plain = makeState()
        apply(&plain, .command(Command("filter subgenre", .text("j-pop"))))
        #expect(plain.message == Message(text: "this catalog has no subgenres", isError: true))
    }

    // MARK: sort

    @Test func reverseSortTurnsTheOrderAround() throws {
        var state = makeState()
        let byPopularity = state.library.rows
        apply(&state, .key(.char("O")))
        #expect(state.library.rows == byPopularity.reversed() && state.library.reversed)
        #expect(state.message?.text == "sorted by popularity asc")
        apply(&state, .key(.char("O")))
        #expect(state.library.rows == byPopularity && !state.library.reversed)
        apply(&state, .command(try Command.parse("sort year asc")))
        #expect(state.library.rows.map { state.catalog.years[Int($0)] }.prefix(3) == [0, 1959, 1968])
        apply(&state, .command(try Command.parse("sort year desc")))
        #expect(state.library.rows.map { state.catalog.years[Int($0)] }.prefix(3) == [2020, 2019, 2015])
        apply(&state, .command(try Command.parse("sort title desc")))
        #expect(state.catalog.title(state.library.rows[0]) == "東京フラワー" && state.library.reversed)
        #expect(Self.header(state).contains("sort: title desc"))
        apply(&state, .command(try Command.parse("sort asc")))  // the key in force, the other way
        #expect(state.library.sort == .title && !state.library.reversed)
        // The selected track stays selected when the order turns.
        state.library.cursor = state.library.rows.firstIndex { state.catalog.title($0) == "Hey Jude" }!
        apply(&state, .command(try Command.parse("sort reverse")))
        #expect(state.catalog.title(state.library.rows[state.library.cursor]) == "Hey Jude")
        #expect(try Command.parse("sort year desc").text == "sort year desc" && Command.parse("sort reverse").text == "sort reverse")
    }

    @Test func theHeaderShowsThePositionWithThousandsSeparators() {
        var state = makeState()
        apply(&state, .command(.down(3)))
        #expect(Self.header(state).hasSuffix("4 / 12"))
        apply(&state, .command(.filterGenre("latin")))
        #expect(Self.header(state).hasSuffix("1 / 2"))
        apply(&state, .command(.search("zzz")))
        #expect(Self.header(state).hasSuffix("0 / 0"))
        #expect(grouped(26_229) == "26,229" && grouped(1_234) == "1,234" && grouped(999) == "999" && grouped(1_000_000) == "1,000,000")
    }

    // MARK: the tree

    static func treeLines(_ state: AppState) -> [String] {
        let catalog = state.catalog
        return state.library.tree!.rows.map { row in
            switch row.node {
            case .artist(let a): catalog.artistNames[Int(a)]
            case .album(_, let name): "  " + (name.isEmpty ? LibraryTree.noAlbum : name)
            case .track(let t): "    " + catalog.title(t)
            }
        }
    }

    @Test func theTreeGroupsArtistsAlbumsAndTracks() {
        var state = makeState()
        apply(&state, .key(.char("t")))
        #expect(state.screen == .library && state.library.tree != nil)
        // Opened on the selected track (the most popular, Bohemian Rhapsody): its artist and album are open.
        #expect(Self.treeLines(state).prefix(3) == ["Beyoncé", "Café Tacvba", "deadmau5"])
        #expect(state.library.tree?.selectedTrack == 0)
        apply(&state, .command(.top))
        #expect(Self.treeLines(state).count == 11 + 2 + 1)  // 11 artists, Queen's 2 albums, 1 track open
        apply(&state, .key(.right))  // Beyoncé opens
        #expect(Self.treeLines(state).prefix(3) == ["Beyoncé", "  B'Day", "Café Tacvba"])
        apply(&state, .key(.right), .key(.right))  // into B'Day, which opens
        #expect(Self.treeLines(state).prefix(4) == ["Beyoncé", "  B'Day", "    Déjà Vu", "Café Tacvba"])
        apply(&state, .key(.right), .key(.right))
        #expect(state.library.tree?.selectedTrack == 2)
        apply(&state, .key(.left))  // from the track up to its album
        #expect(state.library.tree?.cursor == 1)
        apply(&state, .key(.left))  // the album closes
        #expect(Self.treeLines(state).prefix(3) == ["Beyoncé", "  B'Day", "Café Tacvba"])
        apply(&state, .key(.left), .key(.left))  // up to the artist, which closes
        #expect(Self.treeLines(state).prefix(2) == ["Beyoncé", "Café Tacvba"])
        // Space toggles an artist (it does not pause there); Enter too.
        apply(&state, .key(.char(" ")))
        #expect(Self.treeLines(state).prefix(2) == ["Beyoncé", "  B'Day"] && !state.paused)
        apply(&state, .key(.enter))
        #expect(Self.treeLines(state).prefix(2) == ["Beyoncé", "Café Tacvba"])
    }

    @Test func enterOnATreeTrackPlaysItAndTheQueueAndFiltersSeeIt() {
        var state = makeState()
        apply(&state, .command(.search("ヨルシカ")), .key(.char("t")))
        #expect(Self.treeLines(state) == ["ヨルシカ", "  盗作", "    東京フラワー"])
        apply(&state, .key(.char("e")))  // queue the selected track
        #expect(state.queue == [4])
        let effects = apply(&state, .key(.enter))
        #expect(state.currentTrack == 4 && state.screen == .nowPlaying && state.session?.current?.reason == "your pick")
        #expect(effects.contains(.trackStarted(4)))
        apply(&state, .command(.screen(.library)))
        #expect(state.library.tree != nil)
        apply(&state, .key(.char(" ")))  // on a track space pauses, as anywhere
        #expect(state.paused)
    }

    @Test func theTreeFollowsFiltersAndTheSearchAndKeepsWhatIsOpen() {
        var state = makeState()
        apply(&state, .key(.char("t")), .command(.top), .key(.enter))  // Beyoncé open
        apply(&state, .command(.filterGenre("pop")))
        #expect(Self.treeLines(state) == ["ヨルシカ", "宇多田ヒカル"])
        apply(&state, .command(.clearFilter))
        #expect(Self.treeLines(state).prefix(2) == ["Beyoncé", "  B'Day"])
        // Tracks without an album sit under "(no album)".
        apply(&state, .command(.search("nothing else")), .command(.top), .key(.enter), .command(.down(1)), .key(.enter))
        #expect(Self.treeLines(state) == ["Quiet Artist", "  (no album)", "    Nothing Else"])
        // Back to the list, on the track selected in the tree.
        apply(&state, .command(.down(1)), .key(.char("t")))
        #expect(state.library.tree == nil && state.catalog.title(state.library.rows[state.library.cursor]) == "Nothing Else")
    }

    @Test func aClickSelectsATreeRowAndADoubleClickOpensIt() {
        var state = makeState()
        apply(&state, .key(.char("t")), .command(.top))
        apply(&state, .key(.mouse(MouseEvent(x: 10, y: 4, kind: .click))))  // rows start on line 3: the second, Café Tacvba
        #expect(state.library.tree?.cursor == 1)
        apply(&state, .key(.mouse(MouseEvent(x: 10, y: 4, kind: .doubleClick))))
        #expect(Self.treeLines(state).prefix(3) == ["Beyoncé", "Café Tacvba", "  Cuatro Caminos"])
    }

    // MARK: History's reasons

    @Test func historyShowsEachPlaysReasonAndTabGoesIntoThePlays() {
        var state = makeState()
        let session = HistorySession(id: 4, user: 7, strategy: "in-order", source: .human, startedAt: 1_700_000_000, plays: [
            Play(position: 0, track: 3, fraction: 1, outcome: .listened, recommendedBy: nil),
            Play(position: 1, track: 4, fraction: 0.5, outcome: .skipped, recommendedBy: nil),
            Play(position: 2, track: 0, fraction: 1, outcome: .listened, recommendedBy: "in-order"),
        ], reasons: [0: "your pick", 1: "from your queue", 2: "next in catalog order after a very long explanation of why"])
        apply(&state, .command(.screen(.history)), .historyLoaded([session]))
        var screen = AppView.render(state).lines.joined(separator: "\n")
        #expect(screen.contains("your pick") && screen.contains("from your que…") && !screen.contains("why #"))  // cut to fit
        apply(&state, .key(.tab), .command(.down(2)))
        #expect(state.historyPlayCursor == 2 && state.historyCursor == 0)
        screen = AppView.render(state).lines.joined(separator: " ")
        #expect(screen.contains("why #2: next in catalog order after a very long explanation of why"))
        apply(&state, .key(.tab))
        #expect(state.historyPlayCursor == nil)
    }

    @Test func playsRecordTheirReason() {
        var state = makeState()
        apply(&state, .command(.search("strobe")), .command(.select))
        apply(&state, .command(.screen(.library)), .command(.search("eres")), .key(.char("e")))
        var effects = apply(&state, .command(.skip))  // Strobe skipped: the queued Eres plays
        effects += apply(&state, .command(.skip))  // Eres skipped: the strategy picks
        effects += apply(&state, .command(.stop))
        let reasons = effects.compactMap { if case .recordPlay(_, let reason) = $0 { reason } else { nil } }
        #expect(reasons == ["your pick", "from your queue", "next in catalog order"])
    }
}

/// Golden frames of the browsing screens at 80×24 and 40×12, CJK rows included.
@Suite struct BrowseScreenTests {
    static let sizes = [(80, 24), (40, 12)]

    @Test(arguments: sizes)
    func libraryFilteredAndReversed(_ w: Int, _ h: Int) throws {
        var state = makeState(width: w, height: h)
        apply(&state, .command(try Command.parse("filter year 1990-2020")), .command(try Command.parse("sort year asc")),
              .command(.down(2)))
        state.message = nil
        assertSnapshot(AppView.render(state), named: "library-filtered-\(w)x\(h)")
    }

    /// Opened on the most popular track (Queen's open), then 宇多田ヒカル and her album opened.
    @Test(arguments: sizes)
    func libraryTree(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        apply(&state, .key(.char("t")), .command(.bottom), .key(.enter), .command(.down(1)), .key(.enter), .command(.down(1)))
        #expect(state.library.tree?.selectedTrack == 3)
        assertSnapshot(AppView.render(state), named: "library-tree-\(w)x\(h)")
    }

    @Test(arguments: sizes)
    func historyWithReasons(_ w: Int, _ h: Int) {
        var state = makeState(width: w, height: h)
        let session = HistorySession(id: 3, user: 7, strategy: "i2i", source: .human, startedAt: 1_700_007_200, plays: [
            Play(position: 0, track: 4, fraction: 1, outcome: .listened, recommendedBy: nil),
            Play(position: 1, track: 3, fraction: 1, outcome: .listened, recommendedBy: "i2i"),
            Play(position: 2, track: 5, fraction: 0.2, outcome: .skipped, recommendedBy: nil, liked: true),
            Play(position: 3, track: 0, fraction: 0.4, outcome: .abandoned, recommendedBy: "i2i"),
        ], reasons: [0: "your pick", 1: "people who played '東京フラワー' also played it (12 sessions)", 2: "from your queue",
                     3: "people who played 'First Love' also played it (3 sessions)"])
        apply(&state, .command(.screen(.history)), .historyLoaded([session] + ScreenSnapshotTests.history), .key(.tab), .command(.down(1)))
        assertSnapshot(AppView.render(state), named: "history-reasons-\(w)x\(h)")
    }
}
