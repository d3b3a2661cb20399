#!/usr/bin/env bash
# End-to-end test of what makes bot mode worth watching: with --no-spoilers the listener's plan
# never shows, every skip flashes on the player bar ("skipped at 23%") and stays up for a
# reader even at ×8, and a --script says which of its lines is running.
# Usage: Tests/e2e/bot-watch-e2e.sh PATH/TO/botify CATALOG   (run by TmuxEndToEndTests)
BIN=${1:?usage: bot-watch-e2e.sh PATH/TO/botify CATALOG}
CATALOG=${2:?usage: bot-watch-e2e.sh PATH/TO/botify CATALOG}
source "$(dirname "$0")/lib.sh"
DB=$WORK/watch.sqlite

play_in e2e --bot --no-spoilers --user 3 --db "$DB" --catalog "$CATALOG" --strategy random --speed 8

step "no spoilers: the plan is hidden, on every track"
wait_for "listener: plan hidden (no spoilers)"
wait_for_match "Session: ([2-9]|[1-9][0-9]+) plays"
screen | grep -qE "moves on at|hears it to the end" && fail "the plan shows"$'\n'"$(screen)"

step "a skip flashes on the player bar and is still up half a second of wall time later"
wait_for_match "^ \[>\] +(skipped at [0-9]+%|[0-9]+ skips: …)"
sleep 0.5
screen | tail -2 | grep -qE "skipped at [0-9]+%|[0-9]+ skips: …" || fail "the skip flash went by in under half a second"$'\n'"$(screen)"
$T send-keys -t e2e q
wait_for "EXIT=0"
[ "$(q "select count(*) from plays where action = 'skipped'")" -ge 1 ] || fail "no skip recorded"

step "a script says which line runs"
printf '# watch\nsearch blue\nselect\n\nwait 30\nquit\n' > "$WORK/watch.botify"
play_in scripted --db "$DB" --catalog "$CATALOG" --script "$WORK/watch.botify"
PANE=scripted
wait_for "script: line 5/6"
$T send-keys -t scripted q
wait_for "EXIT=0"
echo "bot-watch: ok"
