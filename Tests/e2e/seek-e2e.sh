#!/usr/bin/env bash
# End-to-end test of seeking with the mouse: a click on Now Playing's progress bar (an xterm SGR
# report, as a terminal sends it, typed into the pane) moves the track to that point, and a skip
# right after records only what was played, not the part jumped over.
# Usage: Tests/e2e/seek-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: seek-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/seek.sqlite

# SGR coordinates are 1-based: column X, row Y (`click` is lib.sh's).
seconds() { awk -F: '{ print $1 * 60 + $2 }' <<<"$1"; }

# ×0.1: 2.1 s of track a second, so the click lands well before the track could get far.
play_in e2e --db "$DB" --catalog "$CATALOG" --user 45 --strategy random --speed 0.1
wait_for "sort: popularity"
$T send-keys -t e2e Enter
wait_for "why: your pick"

step "click nine tenths along Now Playing's progress bar (row 4, from column 2)"
bar=$(screen | sed -n 4p | grep -o '[█░]' | wc -l)
[ "$bar" -ge 20 ] || fail "no progress bar on row 4"$'\n'"$(screen)"
click $((2 + bar * 9 / 10)) 4
# Polls until the track shows the new position (a fixed sleep would race the frame).
sought=no
for _ in $(seq 200); do
    times=$(screen | sed -n 4p | grep -oE '[0-9]+:[0-9]{2} / [0-9]+:[0-9]{2}')
    position=$(seconds "${times% / *}"); duration=$(seconds "${times#* / }")
    if [ $((position * 100)) -ge $((duration * 85)) ]; then sought=yes; break; fi
    sleep 0.05
done
[ $sought = yes ] || fail "the click did not seek: at $times"$'\n'"$(screen)"

step "skip: the recorded fraction is what was played, not where the track had got to"
$T send-keys -t e2e n
wait_for_match " 0\.[0-9]{2} skipped"
$T send-keys -t e2e q
wait_for "EXIT=0"
fraction=$(q "select fraction from plays order by session_id, position limit 1")
action=$(q "select action from plays order by session_id, position limit 1")
expect "the first play" "$action" skipped
awk -v f="$fraction" 'BEGIN { exit !(f < 0.2) }' || fail "fraction $fraction counts the jump as heard"
echo "seek: ok (clicked at $times, recorded $fraction)"
