#!/usr/bin/env bash
# End-to-end test of the player: the real binary in a private tmux server, on a temporary
# database. Search a track, start it, skip three times, switch strategy from the menu, open
# stats, resize, quit; then check the sessions and plays in the database with sqlite3.
# Playback runs at --speed 0.1 (a 3.5-minute track lasts 100 s) so no track ends on its own.
# Usage: Tests/e2e/tui-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
set -euo pipefail
BIN=${1:?usage: tui-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WORK=$(mktemp -d)
DB=$WORK/e2e.sqlite
SOCKET=botify-e2e-$$
T="tmux -L $SOCKET -f /dev/null"
cleanup() { $T kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

screen() { $T capture-pane -t e2e -p; }
wait_for() {
    for _ in $(seq 600); do screen | grep -qF -- "$1" && return 0; sleep 0.05; done
    echo "timed out waiting for: $1"; screen; exit 1
}
step() { echo "e2e: $*"; }

step "a bad config file is refused with its file and key (exit 2)"
mkdir -p "$WORK/bad/botify"
printf '[keys]\n"n" = "dance"\n' > "$WORK/bad/botify/config.toml"
$T new-session -d -s bad -x 100 -y 10 \
    "env TERM=xterm-256color XDG_CONFIG_HOME=$WORK/bad $BIN play --db $DB --catalog $CATALOG; echo EXIT=\$?; sleep 30"
for _ in $(seq 200); do $T capture-pane -t bad -p | grep -qF "EXIT=" && break; sleep 0.05; done
bad=$($T capture-pane -t bad -p -J)
echo "$bad" | grep -qF "EXIT=2" || { echo "FAIL: bad config: expected exit 2"; echo "$bad"; exit 1; }
echo "$bad" | grep -qF "config.toml: field 'keys.n' value 'dance': unknown command 'dance'" \
    || { echo "FAIL: bad config message"; echo "$bad"; exit 1; }

# XDG_CONFIG_HOME points at an empty directory so a developer's own key bindings do not apply.
$T new-session -d -s e2e -x 100 -y 30 \
    "env TERM=xterm-256color ESCDELAY=25 XDG_CONFIG_HOME=$WORK/config $BIN play --db $DB --catalog $CATALOG --user 42 --strategy random --speed 0.1; echo EXIT=\$?; sleep 30"
$T set -sg escape-time 0
wait_for "sort: popularity"

step "search for a track"
$T send-keys -t e2e /
$T send-keys -t e2e -l 'bohemian rhapsody'
wait_for 'search "bohemian rhapsody"'
$T send-keys -t e2e Enter
wait_for "Bohemian Rhapsody"

step "start it"
$T send-keys -t e2e Enter
wait_for "why: your pick"

step "skip three times"
for n in 1 2 3; do
    $T send-keys -t e2e n
    wait_for "Session: $n plays"
done

step "switch strategy from the menu (s, down to sticky-artist, Enter)"
$T send-keys -t e2e s
wait_for "Enter: switch"
$T send-keys -t e2e j j Enter
wait_for "strategy: random → sticky-artist next"
wait_for "next · no model needed"   # built and ready (strategies are prepared in the background)
$T send-keys -t e2e n
wait_for "strategy: sticky-artist"

step "open stats"
$T send-keys -t e2e 4
wait_for "source: all (S cycles"

step "resize"
$T resize-window -t e2e -x 40 -y 12
wait_for "1 2 3 4 Stats"
$T resize-window -t e2e -x 30 -y 8
wait_for "Terminal too small: 30×8"
$T resize-window -t e2e -x 100 -y 30
wait_for "3 Strategies  4 Stats"

step "quit"
$T send-keys -t e2e q
wait_for "EXIT=0"

step "check the database"
q() { sqlite3 "$DB" "$1"; }
expect() { if [ "$2" != "$3" ]; then echo "FAIL: $1: expected '$3', got '$2'"; exit 1; fi; }
expect "sessions" "$(q 'select count(*) from sessions')" 1
expect "session row" "$(q 'select user_id, strategy, source, plays, ended_at is not null from sessions')" "42|random|human|5|1"
expect "outcomes" "$(q 'select group_concat(action, ",") from (select action from plays order by position)')" \
    "skipped,skipped,skipped,skipped,abandoned"
expect "recommended_by" "$(q "select group_concat(coalesce(recommended_by, '-'), ',') from (select recommended_by from plays order by position)")" \
    "-,random,random,random,sticky-artist"
expect "length = sum of fractions" "$(q 'select abs(s.length - (select sum(fraction) from plays)) < 1e-9 from sessions s')" 1
expect "fractions in range" "$(q 'select count(*) from plays where fraction < 0 or fraction > 1')" 0
echo "e2e: ok ($(q 'select count(*) from plays') plays in $(q 'select count(*) from sessions') session)"
