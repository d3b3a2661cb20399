#!/usr/bin/env bash
# End-to-end test of the Stats screen's long-term view: a small `simulate --days 2` and then an
# `ab --days 4 --returning` store their reports; the player (real binary, private tmux server)
# opens Stats (4), L shows the newest run (the experiment) with its arms' retention and coverage
# sparklines and the listening per assigned user the database holds, j the older run, a resize
# to 40×12 keeps the charts, L goes back to the sessions.
# Usage: Tests/e2e/long-term-e2e.sh PATH/TO/botify CATALOG   (run by TmuxEndToEndTests)
BIN=${1:?usage: long-term-e2e.sh PATH/TO/botify CATALOG}
CATALOG=${2:?usage: long-term-e2e.sh PATH/TO/botify CATALOG}
source "$(dirname "$0")/lib.sh"
DB=$WORK/long-term.sqlite

step "two multi-day runs store their reports"
"$BIN" simulate --strategy top-pop --days 2 --users 30 --sessions 1 --seed 2 --threads 2 --catalog "$CATALOG" --db "$DB" > "$WORK/simulate.log"
"$BIN" ab --experiment LT-E2E --arms top-pop,i2i --days 4 --returning --users 80 --sessions 1 --seed 5 --threads 2 \
    --catalog "$CATALOG" --db "$DB" > "$WORK/ab.log"
expect "stored runs" "$(q 'select count(*) from long_term_runs')" 2

play_in e2e --db "$DB" --catalog "$CATALOG" --user 5 --strategy random --speed 0.1
wait_for "sort: popularity desc"

step "Stats (4) says L; L shows the newest run, the experiment"
$T send-keys -t e2e 4
wait_for "L: long term"
$T send-keys -t e2e L
wait_for "Long term · run 1 of 2, newest first"
wait_for "experiment LT-E2E · 4 days · 80 users × 1 session · seed 5"
wait_for "Retention: share of each arm's assigned users who came (0–100%), days 1–4"
wait_for_match "^   top-pop +[▁▂▃▄▅▆▇█]{4} +100%→[0-9.]+%"
wait_for_match "^   i2i +[▁▂▃▄▅▆▇█]{4} +100%→[0-9.]+%"
wait_for "Coverage: share of the catalog recommended"
# The long-term metric as the database holds it, to two decimals.
for arm in 0 1; do
    figure=$(q "select printf('%.2f [%.2f, %.2f]', listening, listening_low, listening_high) from long_term_arms where arm_index = $arm and run_id = (select max(id) from long_term_runs)")
    wait_for "$figure"
done
wait_for_match "top-pop .*\\]  control"
wait_for_match "i2i .* [+-][0-9]+\.[0-9]% \[[+-][0-9.]+, [+-][0-9.]+\] p"
screen > "$WORK/long-term-100x30.txt"

step "j: the older run (simulate top-pop, every user every day)"
$T send-keys -t e2e j
wait_for "Long term · run 2 of 2"
wait_for "simulate top-pop · 2 days · 30 users × 1 session · seed 2"
wait_for "every user every day · no retraining"
wait_for_match "^   top-pop +[▁▂▃▄▅▆▇█]{2} +100%→100%"

step "at 40×12 the charts stay"
$T resize-window -t e2e -x 40 -y 12
wait_for "Long term 2/2 · j/k · L: sessions"
wait_for "retention (0–100%), days 1–2"
wait_for "coverage (0–"

step "L goes back to the sessions; q quits"
$T resize-window -t e2e -x 100 -y 30
$T send-keys -t e2e L
wait_for "source: all (S: all/human/bot/sim/remote) · L: long term"
$T send-keys -t e2e q
wait_for "EXIT=0"
if [ -n "${LONG_TERM_SCREEN:-}" ]; then cp "$WORK/long-term-100x30.txt" "$LONG_TERM_SCREEN"; fi
echo "long-term: ok"
