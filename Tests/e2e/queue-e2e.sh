#!/usr/bin/env bash
# End-to-end test of the queue: start a track, queue two others from the Library (e), skip,
# and see the two play first, recorded as the listener's own choice (recommended_by NULL),
# before the strategy picks again. --speed 0.1 so no track ends on its own.
# Usage: Tests/e2e/queue-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: queue-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/queue.sqlite

play_in e2e --db "$DB" --catalog "$CATALOG" --user 43 --strategy random --speed 0.1
wait_for "sort: popularity"

step "Ctrl-W and Ctrl-U in the search prompt cut, and search again"
$T send-keys -t e2e /
$T send-keys -t e2e -l 'daft punk'
wait_for 'search "daft punk"'
$T send-keys -t e2e C-w
wait_for 'search "daft "'
screen | tail -1 | grep -qx '/daft *' || fail "the prompt after Ctrl-W"$'\n'"$(screen)"
$T send-keys -t e2e C-u
wait_for 'search ""'
$T send-keys -t e2e Escape

step "start a track"
$T send-keys -t e2e /
$T send-keys -t e2e -l 'bohemian rhapsody'
wait_for 'search "bohemian rhapsody"'
$T send-keys -t e2e Enter Enter
wait_for "why: your pick"

step "queue two tracks from the Library"
for title in 'get lucky' 'hey jude'; do
    $T send-keys -t e2e :
    $T send-keys -t e2e -l "search $title"
    $T send-keys -t e2e Enter
    wait_for "search \"$title\""
    $T send-keys -t e2e e
    wait_for_match "queued .* in the queue\)"
done
wait_for "(2 in the queue)"
$T send-keys -t e2e 2
wait_for "Queue (2, yours, plays first):"
wait_for "Up next (random, after the queue"

step "skip: the queued tracks play first, then the strategy's pick"
$T send-keys -t e2e n
wait_for "why: from your queue (you)"
wait_for "Session: 1 plays"
screen | grep -qF "Get Lucky" || fail "the first queued track is not playing"$'\n'"$(screen)"
$T send-keys -t e2e n
wait_for "Session: 2 plays"
screen | grep -qF "Hey Jude" || fail "the second queued track is not playing"$'\n'"$(screen)"
screen | grep -qF "why: from your queue (you)" || fail "the second queued track is not from the queue"$'\n'"$(screen)"
$T send-keys -t e2e n
wait_for "Session: 3 plays"
wait_for_match "why: .*\(random, "

step "quit"
$T send-keys -t e2e q
wait_for "EXIT=0"

step "check the database"
expect "recommended_by" "$(q "select group_concat(coalesce(recommended_by, '-'), ',') from (select recommended_by from plays order by position)")" \
    "-,-,-,random"
expect "outcomes" "$(q 'select group_concat(action, ",") from (select action from plays order by position)')" \
    "skipped,skipped,skipped,abandoned"
echo "queue: ok ($(q 'select count(*) from plays') plays, $(q 'select count(*) from plays where recommended_by is null') the listener's own)"
