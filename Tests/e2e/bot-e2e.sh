#!/usr/bin/env bash
# End-to-end test of `botify play --bot`: a simulated listener of the world drives the visible
# player (real binary, private tmux server, temporary database). Without a key pressed, tracks
# advance and sessions follow one another, and the screen says the bot is listening; switching
# strategy from the menu (the bot paused until the new strategy is built, so no fallback pick
# blurs the check) changes who picks the very next track; after quitting, the
# database holds the bot's sessions with gapless positions and totals matching their plays.
# Playback runs at --speed 40 (a 3.5-minute track lasts 0.25 s) so it takes a few seconds.
# Usage: Tests/e2e/bot-e2e.sh PATH/TO/botify CATALOG   (run by TmuxEndToEndTests)
BIN=${1:?usage: bot-e2e.sh PATH/TO/botify CATALOG}
CATALOG=${2:?usage: bot-e2e.sh PATH/TO/botify CATALOG}
source "$(dirname "$0")/lib.sh"
DB=$WORK/bot.sqlite

play_in e2e --bot --user 3 --db "$DB" --catalog "$CATALOG" --strategy random --speed 40

step "the bot is the listener: its own first pick, its plan for the track, 'bot' in the status bar"
wait_for "user 3 bot"
wait_for "why: the listener's own pick (bot)"
wait_for_match "listener: (hears it to the end|moves on at [0-9]+:[0-9]{2})"

step "tracks advance and sessions follow one another with no key pressed"
wait_for_match "Session: ([2-9]|[1-9][0-9]+) plays"
wait_for_match "^ +1 .* (listened|skipped) "
for _ in $(seq 600); do [ "$(q 'select count(*) from sessions where ended_at is not null')" -ge 1 ] && break; sleep 0.05; done
[ "$(q 'select count(*) from sessions where ended_at is not null')" -ge 1 ] || fail "the bot never finished a session by itself"

step "pause the bot (space): the screen and the database agree on the plays so far"
$T send-keys -t e2e Space
wait_for "[||]"
open=$(q 'select id from sessions where ended_at is null')
[ -n "$open" ] || fail "no open session while the bot listens"
heard=$(q "select plays from sessions where id = $open")
wait_for "Session: $heard plays"
expect "plays stored in the open session" "$(q "select count(*) from plays where session_id = $open")" "$heard"

step "switch strategy from the menu (3, down three rows to sticky-artist, Enter), wait until it is built, resume"
$T send-keys -t e2e 3
wait_for "Enter: switch"
$T send-keys -t e2e j j j Enter
wait_for "sticky-artist from the next track"
wait_for "next · no model needed"   # built and ready (strategies are prepared in the background)
$T send-keys -t e2e 2 Space
wait_for "(sticky-artist, "        # a play picked by the new strategy
wait_for "Up next (sticky-artist)"
wait_for "UTC · sticky-artist"     # and a session the bot started under it

step "quit"
$T send-keys -t e2e q
wait_for "EXIT=0"

step "check the database"
sessions=$(q 'select count(*) from sessions')
[ "$sessions" -ge 2 ] || fail "expected at least 2 sessions, got $sessions"
expect "every session is the bot's, user 3, finished" \
    "$(q "select count(*) from sessions where source = 'bot' and user_id = 3 and end_reason = 'finished'")" "$sessions"
expect "strategy of the first and the last session" \
    "$(q "select (select strategy from sessions order by id limit 1) || ',' || (select strategy from sessions order by id desc limit 1)")" \
    "random,sticky-artist"
expect "sessions whose positions are not 0..n-1 or whose plays total differs" \
    "$(q 'select count(*) from sessions s where s.plays != (select count(*) from plays p where p.session_id = s.id)
                                          or s.plays != (select coalesce(max(position), -1) + 1 from plays p where p.session_id = s.id)
                                          or (select min(position) from plays p where p.session_id = s.id) != 0')" 0
expect "sessions whose length is not the sum of their fractions (rounded)" \
    "$(q 'select count(*) from sessions s where abs(s.length - round((select sum(fraction) from plays p where p.session_id = s.id), 6)) > 1e-6')" 0
expect "sessions whose skips are not their plays heard partly" \
    "$(q 'select count(*) from sessions s where s.skips != (select count(*) from plays p where p.session_id = s.id and p.fraction < 1)')" 0
expect "each session opens with the listener's own pick, every later play is recommended" \
    "$(q 'select count(*) from plays where (position = 0) != (recommended_by is null)')" 0
expect "strategies that recommended" "$(q 'select group_concat(r, ",") from (select distinct recommended_by r from plays where r is not null order by r)')" \
    "random,sticky-artist"
# Play $heard of session $open was playing at the switch: every recommendation after it is the new strategy's.
expect "plays recommended after the switch, by strategy" \
    "$(q "select group_concat(distinct recommended_by) from plays where recommended_by is not null and (session_id, position) > ($open, $heard)")" \
    "sticky-artist"
expect "the track playing at the switch was random's pick" \
    "$(q "select recommended_by from plays where session_id = $open and position = $heard")" "$([ "$heard" = 0 ] || echo random)"
expect "sessions ending on an abandoned play: only the last (quitting), the bot left the others by itself" \
    "$(q "select group_concat(s.id) from sessions s where (select action from plays p where p.session_id = s.id order by position desc limit 1)
          = 'abandoned'")" "$(q 'select max(id) from sessions')"
expect "fractions in range" "$(q 'select count(*) from plays where fraction < 0 or fraction > 1')" 0
echo "bot: ok ($(q 'select count(*) from plays') plays in $sessions sessions)"
