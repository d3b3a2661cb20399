/// The shipped assets, compiled in so the binary needs no files beside it. `assets/` holds the
/// same text for people to read and copy; a test keeps the two identical (and rewrites
/// assets/config.toml with BOTIFY_UPDATE_SNAPSHOTS=1). The `[keys]` lines and Help's list of
/// commands come from `CommandTable`.
enum DefaultAssets {
    static let configTOML = #"""
# botify player configuration: the defaults, every binding and colour.
# Copy this file to $XDG_CONFIG_HOME/botify/config.toml (usually ~/.config/botify/config.toml)
# and change what you like; whatever you leave out keeps its default.

[keys]
# "key" = "command". A key is one character ("j", "G", "/") or one of: space, enter, esc, tab,
# backspace, delete, up, down, left, right, pgup, pgdn, home, end, f1 … f12, ctrl-a … ctrl-z.
# A command is what the : prompt takes (listed on the Help screen); "" unbinds the key.
"""# + "\n" + CommandTable.configKeysTOML + "\n" + #"""

[theme]
# preset: "default" (the eight ANSI colours), "light" (256 colours, for light backgrounds) or
# "solarized" (Solarized dark, exact 24-bit colours); :theme NAME switches while playing.
preset = "default"
# Any role set here overrides the preset's colour. Roles: accent, header, status, status_text,
# progress, listened, skipped, abandoned, error, selection (the cursor row's background; unset:
# reverse video), selection_text. A colour is a name (black, red, green, yellow, blue, magenta,
# cyan, white, or bright-red and the like), a palette index 0-255, "#rrggbb", or "default"
# (the terminal's). A terminal with fewer colours shows the nearest ones: 256-colour terminals
# the nearest palette entry; 16 and 8 colours the nearest ANSI colour. Exact colours need a
# terminal whose terminfo has direct colour (TERM=xterm-direct, tmux-direct). Set NO_COLOR=1 in
# the environment to turn colours off altogether (bold and reverse stay).
# accent = "cyan"
# skipped = "#cb4b16"
# selection = 236

[mouse]
# Click a tab or a Library row (a double click plays it); the wheel scrolls. false: the mouse
# is left to the terminal (selecting text, its own scrolling).
enabled = true

[bot]
# botify play --bot: show the simulated listener's plan for each track before it happens
# ("moves on at 0:48"); false (or --no-spoilers) keeps it a surprise.
show_plan = true
# Flash "skipped at 23%" on the player bar for every skip, held long enough to read at any speed.
skip_cue = true

"""#

    static let helpText = #"""
How a play ends
  listened   the track reached its end: fraction 1.0
  skipped    you moved on (n; in bot mode, the listener's
             stop point), or reached the end after a seek
             ahead: fraction = the share of the track
             played, each second once (a seek ahead is
             not heard)
  abandoned  the session ended mid-track (quit, stop, a
             signal, or Enter on another Library track:
             a new session starts): fraction as a skip
A skip (sessions.skips, the Stats skip rate) is any play
heard < 1, so abandoned plays count as skips too.
Session length = the sum of the fractions of every play,
the first one (your own pick) included.

How it works
  Pick a track in the Library and press Enter: a session
  starts. From then on the active strategy picks every
  next track. Switch strategies on screen 3 (Enter); the
  new one takes over from the next track. Every play is
  written to the database as it ends. Up next (2) is what
  plays if each track is heard to the end; "changes if you
  skip" marks a strategy that reads how far you listened.

Stats (4)
  Figures are over users, with 95% CIs. S cycles the
  source; Enter makes a strategy the baseline. A session
  that switched strategy is "mixed": out of Mean, its
  plays still count in Heard (fraction per pick).
  L shows the long-term runs instead (simulate or ab
  with --days 2 or more store one): per arm, retention
  and catalog coverage by day as sparklines, and the
  listening per assigned user with its 95% CI; j/k pick
  another run, L goes back.

Commands at the : prompt (also in config.toml and scripts)
"""# + "\n" + CommandTable.helpLines.joined(separator: "\n") + "\n" + #"""
"""#
}
