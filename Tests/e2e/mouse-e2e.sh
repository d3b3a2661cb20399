#!/usr/bin/env bash
# End-to-end test of the mouse (xterm SGR reports, as a terminal sends them, typed into the
# pane): a click on a tab shows its screen, the wheel scrolls the Library three rows a notch,
# a double click plays the row under it; with [mouse] enabled = false the player never asks
# the terminal for mouse reports (tmux's mouse_sgr_flag stays 0), so clicks stay the terminal's.
# Usage: Tests/e2e/mouse-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: mouse-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/mouse.sqlite

# SGR coordinates are 1-based: column X, row Y (`click` is lib.sh's).
wheel_down() { $T send-keys -t "$PANE" -l $'\e'"[<65;$1;$2M"; }

play_in e2e --db "$DB" --catalog "$CATALOG" --user 44 --strategy random --speed 0.1
wait_for "sort: popularity"
expect "SGR mouse reports asked for" "$($T display -p -t e2e '#{mouse_sgr_flag}')" 1

step "click the Stats tab, then the Library tab"
click 42 1
wait_for "source: all (S: all/human/bot/sim/remote)"
click 3 1
wait_for "sort: popularity"

step "the wheel scrolls, a double click plays the row under the pointer"
wheel_down 10 8
row=$(screen | sed -n 7p | awk '{print $1}')   # the fourth track row (line 7): the cursor lands there
click 10 7; click 10 7
wait_for "why: your pick"
screen | sed -n 2p | grep -qF "$row" || fail "the double-clicked row is not playing"$'\n'"$(screen)"

step "quit"
$T send-keys -t e2e q
wait_for "EXIT=0"
expect "one play, the listener's own" "$(q "select count(*), count(recommended_by) from plays")" "1|0"

step "with the mouse off in config, the terminal is not asked for mouse reports"
mkdir -p "$WORK/nomouse/botify"
printf '[mouse]\nenabled = false\n' > "$WORK/nomouse/botify/config.toml"
CONFIG_HOME=$WORK/nomouse play_in off --db "$DB" --catalog "$CATALOG" --user 44
PANE=off
wait_for "sort: popularity"
expect "no mouse reports asked for" "$($T display -p -t off '#{mouse_any_flag}#{mouse_sgr_flag}')" 00
$T send-keys -t off q
wait_for "EXIT=0"
echo "mouse: ok"
