#!/usr/bin/env bash
# The player killed with SIGKILL in the middle of a session (a bot listening at ×40 in a private
# tmux server): every play the screen showed as heard is in the database, the killed session
# stays open — never looks finished — with totals matching its plays, and the next player to
# start closes it as 'recovered' with its plays intact.
# Usage: Tests/e2e/player-kill.sh PATH/TO/botify CATALOG   (run by PlayerKillTests)
BIN=${1:?usage: player-kill.sh PATH/TO/botify CATALOG}
CATALOG=${2:?usage: player-kill.sh PATH/TO/botify CATALOG}
source "$(dirname "$0")/lib.sh"
DB=$WORK/kill.sqlite
# `exec` makes the pane's process the player itself, so its pid is the one to kill.
player() {
    $T new-session -d -s "$1" -x 100 -y 30 \
        "exec env TERM=xterm-256color XDG_CONFIG_HOME=$WORK/config $BIN play --bot --db $DB --catalog $CATALOG --speed 40"
}
PANE=p
shown() { screen | grep -o 'Session: [0-9]* plays' | grep -o '[0-9]*' || echo 0; }

player p
# Keep the dead player's last screen: it shows what had been acknowledged.
$T set -g remain-on-exit on
pid=$($T list-panes -t p -F '#{pane_pid}')
# Wait until a second session is well under way, so the kill lands mid-session.
for _ in $(seq 400); do
    sessions=$(q "SELECT count(*) FROM sessions" 2>/dev/null || echo 0)
    [ "$sessions" -ge 2 ] && [ "$(shown)" -ge 3 ] && break
    sleep 0.05
done
[ "$(shown)" -ge 3 ] || fail "the bot never got going"
kill -9 "$pid"
for _ in $(seq 200); do [ "$($T list-panes -t p -F '#{pane_dead}')" = 1 ] && break; sleep 0.02; done
[ "$($T list-panes -t p -F '#{pane_dead}')" = 1 ] || fail "the player outlived SIGKILL"
heard=$(shown)

[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the kill"
open=$(q "SELECT id FROM sessions WHERE ended_at IS NULL")
[ -n "$open" ] || fail "no open session left by the killed player"
[ "$(q "SELECT owner_pid FROM sessions WHERE id = $open")" = "$pid" ] || fail "open session not owned by the killed player"
# Every play on the last screen was committed before it was drawn. That screen shows the open
# session — or, killed between a new session's start and the next draw, the one before it.
stored=$(q "SELECT count(*) FROM plays WHERE session_id = $open")
before=$(q "SELECT count(*) FROM plays WHERE session_id = $open - 1")
[ "$stored" -ge "$heard" ] || { [ "$stored" = 0 ] && [ "$before" = "$heard" ]; } \
    || fail "the screen showed $heard plays, the database holds $stored"
bad=$(q "SELECT count(*) FROM sessions s WHERE s.plays != (SELECT count(*) FROM plays p WHERE p.session_id = s.id)
         OR s.plays != (SELECT coalesce(max(position), -1) + 1 FROM plays p WHERE p.session_id = s.id)")
[ "$bad" = 0 ] || fail "$bad sessions whose totals do not match their plays"
[ "$(q "SELECT count(*) FROM sessions WHERE ended_at IS NULL")" = 1 ] || fail "more than one open session"

# The next player recovers the dead one's session (and starts its own).
player p2
for _ in $(seq 400); do
    [ "$(q "SELECT coalesce(end_reason, '') FROM sessions WHERE id = $open")" = recovered ] && break
    sleep 0.05
done
$T send-keys -t p2 q
[ "$(q "SELECT end_reason, ended_at = updated_at, plays FROM sessions WHERE id = $open")" = "recovered|1|$stored" ] \
    || fail "session $open not recovered with its $stored plays"
[ "$(q 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after recovery"
echo "kill: ok (screen showed $heard plays, $stored stored, session $open recovered)"
