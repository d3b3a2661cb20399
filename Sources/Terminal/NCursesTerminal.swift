import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw. Keeps the previous frame and sends only changed runs;
/// reads keys with a timeout so clock ticks, resizes and signals are handled without threads.
public final class NCursesTerminal: Terminal {
    private var previous: ScreenBuffer?
    private var pairs: [PairKey: Int16] = [:]
    private let colors: Bool
    /// What the terminal shows (nil: no colours, `NO_COLOR` or a monochrome terminal); every
    /// style's colours are brought down to it before drawing.
    public let depth: ColorDepth?
    private var active = true
    /// Reads that failed at once instead of waiting: a terminal that went away without SIGHUP.
    private var instantFailures = 0

    /// Refuses when stdin/stdout are not a terminal or TERM cannot draw a screen.
    public static func checkUsable(environment: [String: String]) throws(TerminalUnavailable) {
        guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalUnavailable(reason: "standard input/output is not a terminal") }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty, term != "dumb" else { throw TerminalUnavailable(reason: "TERM is '\(term.isEmpty ? "unset" : term)'") }
        guard botify_terminal_known(term) == 1 else {
            throw TerminalUnavailable(reason: "TERM '\(term)' is not in the terminal database (terminfo); try TERM=xterm-256color")
        }
    }

    /// - Parameters:
    ///   - colors: false when `NO_COLOR` is set (https://no-color.org).
    ///   - mouse: report clicks and the wheel as `Key.mouse` (config `[mouse] enabled`).
    public init(colors: Bool, mouse: Bool = true) throws(TerminalUnavailable) {
        setlocale(LC_ALL, "")
        // Installed before curses starts, so curses keeps ours instead of exiting on SIGINT.
        botify_install_signal_handlers()
        guard botify_newterm() != nil else { throw TerminalUnavailable(reason: "curses could not start on this terminal") }
        cbreak()
        noecho()
        nonl()
        keypad(botify_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if mouse { botify_mouse_on() }
        var depth: ColorDepth?
        if colors && has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colors: Int(botify_colors()), directRGB: botify_direct_color() == 1)
        }
        self.colors = depth != nil
        self.depth = depth
    }

    deinit { shutdown() }

    public var size: TerminalSize { TerminalSize(width: Int(botify_cols()), height: Int(botify_lines())) }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        let pending = botify_take_signal()
        if pending != 0 { return .signal(pending) }
        timeout(Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let started = ContinuousClock.now
        let status = botify_get_wch(&ch)
        let signal = botify_take_signal()
        if signal != 0 { return .signal(signal) }
        if status == ERR {
            let waited = ContinuousClock.now - started
            instantFailures = timeoutMilliseconds > 0 && waited < .milliseconds(timeoutMilliseconds / 4) ? instantFailures + 1 : 0
            // Hundreds of reads failing at once: the terminal is gone; end as on a hang-up.
            return instantFailures > 200 ? .signal(SIGHUP) : nil
        }
        instantFailures = 0
        if status == botify_key_code_yes() { return functionKey(Int32(ch)) }
        switch ch {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(scalar))
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case botify_key_resize():
            previous = nil
            return .resize
        case botify_key_mouse():
            var x: Int32 = 0, y: Int32 = 0
            let kinds: [MouseEvent.Kind?] = [nil, .click, .doubleClick, .wheelUp, .wheelDown]
            guard let kind = kinds[Int(botify_get_mouse(&x, &y))] else { return nil }
            return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: kind))
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    public func draw(_ buffer: ScreenBuffer) {
        guard active else { return }
        if previous == nil { clear() }
        for run in buffer.changes(since: previous) {
            let style = depth.map { run.style.degraded(to: $0) } ?? run.style.withoutColors
            var flags: Int32 = 0
            if style.bold { flags |= 1 }
            if style.reverse { flags |= 2 }
            if style.underline { flags |= 4 }
            if style.dim { flags |= 8 }
            botify_set_style(flags, pair(for: style))
            botify_put(Int32(run.y), Int32(run.x), run.text)
        }
        if let c = buffer.cursor {
            curs_set(1)
            move(Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        refresh()
        previous = buffer
    }

    private struct PairKey: Hashable {
        var foreground: Color?
        var background: Color?
    }

    private func pair(for style: Style) -> Int16 {
        guard colors, style.foreground != nil || style.background != nil else { return 0 }
        let key = PairKey(foreground: style.foreground, background: style.background)
        if let p = pairs[key] { return p }
        // Styles come from a theme: a handful of pairs, far below COLOR_PAIRS.
        guard pairs.count < 32_000 else { return 0 }
        let p = Int16(pairs.count + 1)
        botify_init_pair(Int32(p), Self.number(style.foreground), Self.number(style.background))
        pairs[key] = p
        return p
    }

    /// The colour as curses numbers it: a palette index, or (direct colour) 0xRRGGBB, where
    /// values below 8 would be read as palette entries, so the darkest blues move up to 8.
    private static func number(_ color: Color?) -> Int32 {
        switch color {
        case nil: -1
        case .indexed(let i)?: Int32(i)
        case .rgb(let r, let g, let b)?: max(8, Int32(r) << 16 | Int32(g) << 8 | Int32(b))
        }
    }

    public func shutdown() {
        guard active else { return }
        active = false
        curs_set(1)
        endwin()
    }
}
