#!/usr/bin/env bash
# End-to-end test of `botify play --strategy http://…` (issue #15): the bot listens in the
# visible player to examples/course_recommender.py, which logs every call it gets in the
# course's JSON-lines format. Checked on screen: the why-line names the service, Up next says
# it is asked when the track ends, the Strategies screen lists the service. Checked afterwards
# against the service's own log: one /next per recommended play (nothing asked ahead), one
# /last per session it picked in, carrying the session's last track and fraction, the session
# that was playing at quit included.
# Playback runs at --speed 40 (a 3.5-minute track lasts 0.25 s) so sessions end by themselves.
# Usage: Tests/e2e/remote-play-e2e.sh PATH/TO/botify   (run by TmuxEndToEndTests)
BIN=${1:?usage: remote-play-e2e.sh PATH/TO/botify}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$(dirname "$0")/lib.sh"
DB=$WORK/remote.sqlite
CALLS=$WORK/calls.jsonl

"$BIN" catalog synth --tracks 300 --seed 3 --out "$WORK/tracks.csv" >/dev/null
python3 "$ROOT/examples/course_recommender.py" --port 0 --catalog "$WORK/tracks.csv" --log-jsonl "$CALLS" >"$WORK/service.out" &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 600); do grep -q '^listening on ' "$WORK/service.out" && break; sleep 0.05; done
URL=$(sed -n 's/^listening on //p' "$WORK/service.out")
[ -n "$URL" ] || fail "the example service did not start"

play_in e2e --bot --user 3 --db "$DB" --catalog "$WORK/tracks.csv" --strategy "$URL" --speed 40

step "the service picks: the why-line names it, Up next says it is asked when the track ends"
wait_for "why: remote ($URL) in "
wait_for "Up next ($URL):"
wait_for "asked when this track ends: the service takes every /next as a listen"

step "sessions end by themselves and the service hears /last for each"
for _ in $(seq 600); do [ "$(grep -c '"message": "last"' "$CALLS" || true)" -ge 2 ] && break; sleep 0.05; done
[ "$(grep -c '"message": "last"' "$CALLS" || true)" -ge 2 ] || fail "no /last reached the service after two sessions"$'\n'"$(tail -5 "$CALLS")"

step "the Strategies screen lists the service, in charge"
$T send-keys -t e2e Space 3
wait_for "Enter: switch"
# It is listed last: move the cursor down past the end of the list.
$T send-keys -t e2e $(printf 'j %.0s' $(seq 40))
wait_for_match "● http://[^ ]+ active"
wait_for "a remote recommender at $URL"

step "quit mid-track in a session the service picked in: its /last goes out before the player exits"
# Pause on a track the service picked (one play or more already ended in this session).
$T send-keys -t e2e 2
for _ in $(seq 40); do
    $T send-keys -t e2e Space
    wait_for "[>]"
    sleep 0.3
    $T send-keys -t e2e Space
    wait_for "[||]"
    screen | grep -qE "Session: [1-9][0-9]* plays" && break
done
screen | grep -qE "Session: [1-9][0-9]* plays" || fail "never paused on a track the service picked"$'\n'"$(screen)"
$T send-keys -t e2e q
wait_for "EXIT=0"

step "check the service's log against the database"
sessions=$(q 'select count(*) from sessions')
# A session the listener left after their own first track asked the service nothing, so it
# is not told of it either.
asked=$(q 'select count(*) from sessions where plays > 1')
recommended=$(q 'select count(*) from plays where recommended_by is not null')
next_calls=$(grep -c '"message": "next"' "$CALLS" || true)
last_calls=$(grep -c '"message": "last"' "$CALLS" || true)
expect "one /next per recommended play: nothing asked ahead" "$next_calls" "$recommended"
expect "one /last per session the service picked in" "$last_calls" "$asked"
expect "every recommended play is the service's own" "$(q "select count(*) from plays where recommended_by = '$URL'")" "$recommended"
# Each session's last play, as user:track:fraction, against the /last lines (same order: by id).
stored=$(q "select s.user_id || ':' || p.track || ':' || printf('%.2f', p.fraction) from sessions s join plays p
            on p.session_id = s.id and p.position = s.plays - 1 where s.plays > 1 order by s.id")
sent=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    c = json.loads(line)
    if c["message"] == "last":
        print("%d:%d:%.2f" % (c["user"], c["track"], c["time"]))' "$CALLS")
expect "each /last carries the session's last track and fraction" "$sent" "$stored"
expect "the last session ended at quit (abandoned) after a pick, the others by themselves" \
    "$(q "select group_concat(s.id) from sessions s where (select action from plays p where p.session_id = s.id order by position desc limit 1) = 'abandoned'")" \
    "$(q 'select max(id) from sessions where plays > 1')"
echo "remote play: ok ($sessions sessions, $next_calls /next and $last_calls /last calls)"
