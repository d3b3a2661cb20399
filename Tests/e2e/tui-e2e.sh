#!/usr/bin/env bash
# End-to-end test of the player: the real binary in a private tmux server, on a temporary
# database. Search a track, start it, skip three times, switch strategy from the menu, open
# stats, resize, quit; then check the sessions and plays in the database with sqlite3.
# Playback runs at --speed 0.1 (a 3.5-minute track lasts 100 s) so no track ends on its own.
# Usage: Tests/e2e/tui-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: tui-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/e2e.sqlite

step "a bad config file is refused with its file, line and key (exit 2)"
mkdir -p "$WORK/bad/botify"
printf '[keys]\n"n" = "dance"\n' > "$WORK/bad/botify/config.toml"
CONFIG_HOME=$WORK/bad play_in bad --db "$DB" --catalog "$CATALOG"
PANE=bad wait_for "EXIT="
bad=$($T capture-pane -t bad -p -J)
echo "$bad" | grep -qF "EXIT=2" || fail "bad config: expected exit 2"$'\n'"$bad"
echo "$bad" | grep -qF "config.toml:2: field 'keys.n' value 'dance': unknown command 'dance'" \
    || fail "bad config message"$'\n'"$bad"

play_in e2e --db "$DB" --catalog "$CATALOG" --user 42 --strategy random --speed 0.1
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

step "switch strategy from the menu (s, down three rows to sticky-artist, Enter)"
$T send-keys -t e2e s
wait_for "Enter: switch"
$T send-keys -t e2e j j j Enter
wait_for "strategy: random → sticky-artist next"
wait_for "next · no model needed"   # built and ready (strategies are prepared in the background)
$T send-keys -t e2e n
wait_for "strategy: sticky-artist"

step "open stats"
$T send-keys -t e2e 4
wait_for "source: all (S: all/human/bot/sim/remote)"

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
expect "sessions" "$(q 'select count(*) from sessions')" 1
expect "session row" "$(q 'select user_id, strategy, source, plays, ended_at is not null from sessions')" "42|random|human|5|1"
expect "outcomes" "$(q 'select group_concat(action, ",") from (select action from plays order by position)')" \
    "skipped,skipped,skipped,skipped,abandoned"
expect "recommended_by" "$(q "select group_concat(coalesce(recommended_by, '-'), ',') from (select recommended_by from plays order by position)")" \
    "-,random,random,random,sticky-artist"
expect "length = sum of fractions" "$(q 'select abs(s.length - (select sum(fraction) from plays)) < 1e-9 from sessions s')" 1
expect "fractions in range" "$(q 'select count(*) from plays where fraction < 0 or fraction > 1')" 0
echo "e2e: ok ($(q 'select count(*) from plays') plays in $(q 'select count(*) from sessions') session)"
