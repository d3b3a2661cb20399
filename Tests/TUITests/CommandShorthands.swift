@testable import TUI

/// Short names for commands in tests (`.command(.skip)`), each the same value `Command.parse`
/// gives for its text. The player itself needs none of these: a command is its `CommandTable`
/// entry, and a new one needs no line here.
extension Command {
    static func up(_ n: Int) -> Command { Command("up", .count(n)) }
    static func down(_ n: Int) -> Command { Command("down", .count(n)) }
    static let top = Command("top"), bottom = Command("bottom"), pageUp = Command("page-up"), pageDown = Command("page-down")
    static let select = Command("select"), skip = Command("skip"), pause = Command("pause"), like = Command("like")
    static let stop = Command("stop"), quit = Command("quit"), searchPrompt = Command("search"), commandPrompt = Command("prompt")
    static let filterGenreOfSelection = Command("filter genre"), filterArtistOfSelection = Command("filter artist")
    static let clearFilter = Command("filter clear"), cycleSort = Command("sort"), retrainSelected = Command("retrain")
    static let cycleSource = Command("source")
    static func screen(_ s: Screen) -> Command { Command("screen", .screen(s)) }
    static func seek(_ v: Double) -> Command { Command("seek", .offset(v)) }
    static func speed(_ v: Double) -> Command { Command("speed", .number(v)) }
    static func speedBy(_ v: Double) -> Command { Command("speed", .factor(v)) }
    static func search(_ q: String) -> Command { Command("search", .text(q)) }
    static func filterGenre(_ g: String) -> Command { Command("filter genre", .text(g)) }
    static func filterArtist(_ a: String) -> Command { Command("filter artist", .text(a)) }
    static func sort(_ k: SortKey) -> Command { Command("sort", .sort(k)) }
    static func strategy(_ s: String) -> Command { Command("strategy", .text(s)) }
    static func retrain(_ s: String) -> Command { Command("retrain", .text(s)) }
    static func wait(_ s: Double) -> Command { Command("wait", .number(s)) }
}
