#!/usr/bin/env bash
# End-to-end test of `botify play --script FILE` (real binary, private tmux server, temporary
# database). A script with a typo is refused before the player starts. A demo script searches,
# plays, skips, switches strategy, likes, opens History and quits by itself, while the test
# only watches the screen — and presses one key, since the player keeps listening to keys
# during a script's waits. Then the session and its plays are checked with sqlite3.
# Playback runs at --speed 0.1 (a 3.5-minute track lasts 100 s) so no track ends on its own.
# Usage: Tests/e2e/script-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: script-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/script.sqlite

step "a script with a typo is refused with its file and line (exit 2), before anything runs"
printf 'search queen\nwait 1\nskp\n' > "$WORK/typo.botify"
play_in typo --script "$WORK/typo.botify" --db "$DB" --catalog "$CATALOG"
PANE=typo wait_for "EXIT="
typo=$($T capture-pane -t typo -p -J)
echo "$typo" | grep -qF "EXIT=2" || fail "script with a typo: expected exit 2"$'\n'"$typo"
echo "$typo" | grep -qF "typo.botify:3: 'skp': unknown command 'skp'" || fail "script with a typo: message"$'\n'"$typo"
[ ! -e "$DB" ] || [ "$(q 'select count(*) from sessions')" = 0 ] || fail "the refused script left sessions in the database"

# Each state the test looks for lasts at least a second of the script's waits.
cat > "$WORK/demo.botify" <<'SCRIPT'
# search, play, skip twice, switch strategy, skip, like, look at History, quit
search bohemian rhapsody
wait 1
select
wait 1
skip
wait 1
skip
wait 1
strategy sticky-artist
wait 2
skip
wait 1
like
wait 2.5
screen history
wait 1.5
quit
SCRIPT
play_in e2e --script "$WORK/demo.botify" --db "$DB" --catalog "$CATALOG" --user 7 --strategy random --speed 0.1

step "search"
wait_for 'search "bohemian rhapsody"'
step "select: the first match plays, picked by you"
wait_for "why: your pick (you)"
screen | grep -qF "Bohemian Rhapsody" || fail "the selected track is not Bohemian Rhapsody"$'\n'"$(screen)"
step "skip twice"
wait_for "Session: 1 plays"
wait_for "Session: 2 plays"
step "switch strategy: announced, and it picks the next track"
wait_for "strategy: random → sticky-artist next"
wait_for "sticky-artist from the next track"
wait_for "(sticky-artist, "
wait_for "Session: 3 plays"
step "like: said, and marked"
wait_for "│ liked "
wait_for "  ♥"
step "a key pressed during the script's wait still works (space pauses)"
$T send-keys -t e2e Space
wait_for "[||]"
step "History lists the session"
wait_for_match "#1 +[0-9-]+ [0-9:]+ random +human +3 "
step "the script quits the player by itself"
wait_for "EXIT=0"

step "check the database"
expect "session row" "$(q 'select count(*), user_id, strategy, source, plays, skips, end_reason from sessions')" "1|7|random|human|4|4|finished"
expect "outcomes" "$(q 'select group_concat(action, ",") from (select action from plays order by position)')" \
    "skipped,skipped,skipped,abandoned"
expect "recommended_by" "$(q "select group_concat(coalesce(recommended_by, '-'), ',') from (select recommended_by from plays order by position)")" \
    "-,random,random,sticky-artist"
expect "positions" "$(q 'select group_concat(position, ",") from (select position from plays order by position)')" "0,1,2,3"
expect "length = sum of fractions (rounded)" \
    "$(q 'select abs(s.length - round((select sum(fraction) from plays), 6)) < 1e-9 from sessions s')" 1
echo "script: ok ($(q 'select count(*) from plays') plays in $(q 'select count(*) from sessions') session)"
