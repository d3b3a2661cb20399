#!/usr/bin/env bash
# End-to-end test of browsing: filter the Library by artist and year range (a backwards range
# is refused in one line), turn the order around, open the artist → album → track tree, close
# and open the artist, step into its first album, play its first track, skip once; the
# database then holds each play's reason ("your pick", then the strategy's why-text) and
# History shows them. --speed 0.1 so no track ends on its own.
# Usage: Tests/e2e/browse-e2e.sh PATH/TO/botify [CATALOG]   (run by TmuxEndToEndTests)
BIN=${1:?usage: browse-e2e.sh PATH/TO/botify [CATALOG]}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CATALOG=${2:-$ROOT/catalog/tracks.csv}
source "$(dirname "$0")/lib.sh"
DB=$WORK/browse.sqlite

play_in e2e --db "$DB" --catalog "$CATALOG" --user 44 --strategy random --speed 0.1
wait_for "sort: popularity desc"
wait_for_match " 1 / [0-9,]+ *$"

# Rows of the catalog (a CSV with quoted fields) as "id<TAB>artist<TAB>album<TAB>year".
rows() { python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")): print(r["id"], r["artist"], r["album"], r["release_year"], sep="\t")' "$CATALOG"; }
queen70s() { rows | awk -F'\t' '$2 == "Queen" && $4 >= 1970 && $4 <= 1979'; }

command() { $T send-keys -t e2e :; $T send-keys -t e2e -l "$1"; $T send-keys -t e2e Enter; }

step "filter by artist and years; a backwards range is one clear line and changes nothing"
command "filter artist queen"
wait_for "artist: Queen · sort: popularity desc"
command "filter year 1979-1970"
wait_for "year range '1979-1970' runs backwards: write 1970-1979"
command "filter year 1970-1979"
wait_for "artist: Queen · years: 1970–1979 · sort: popularity desc"
seventies=$(queen70s | wc -l)
[ "$seventies" -gt 1 ] || fail "the catalog has $seventies Queen tracks of the 1970s"
wait_for_match " 1 / $seventies *$"

step "reverse the order (O): least popular first"
$T send-keys -t e2e O
wait_for "sort: popularity asc"

step "the tree (t): close the artist, open it, step into its first album and open it"
$T send-keys -t e2e t
wait_for "tree · artist: Queen"
# It opens on the selected track, its artist and album open: up to the album and close it
# (← ←), then the artist (g ←).
wait_for_match "^    ▾ "
$T send-keys -t e2e Left Left
for _ in $(seq 100); do screen | grep -qE "^    ▾ " || break; sleep 0.05; done
$T send-keys -t e2e g Left
wait_for "▸ Queen"
wait_for_match " 1 / 1 *$"
$T send-keys -t e2e Right
wait_for "▾ Queen"
albums=$(queen70s | cut -f3 | sort -u | wc -l)
wait_for_match " 1 / $((albums + 1)) *$"
$T send-keys -t e2e Right Right
wait_for_match "^    ▾ .*[0-9]+ tracks?"
$T send-keys -t e2e Right
wait_for " 3 / "

step "Enter plays the track under the cursor: a new session, your pick"
$T send-keys -t e2e Enter
wait_for "why: your pick"
wait_for "Session: 0 plays"
$T send-keys -t e2e n
wait_for "Session: 1 plays"
wait_for_match "why: .*\(random, "

step "History shows each play's reason; Tab shows the selected one's in full"
$T send-keys -t e2e 5
wait_for "plays of #1:"
wait_for "your pick"
$T send-keys -t e2e Tab
wait_for "why #0: your pick"
$T send-keys -t e2e q
wait_for "EXIT=0"

step "check the database"
first=$(q "select track from plays where position = 0")
expect "the first play's artist and decade" \
    "$(queen70s | awk -F'\t' -v id="$first" '$1 == id { print "Queen,1970s" }')" "Queen,1970s"
expect "reasons" "$(q "select group_concat(coalesce(reason, 'NULL'), '|') from (select reason from plays order by position)" | cut -d'|' -f1)" \
    "your pick"
second=$(q "select reason from plays where position = 1")
[ -n "$second" ] && [ "$second" != "your pick" ] || fail "the strategy's pick has no reason of its own: '$second'"
expect "the pick after the skip" "$(q "select recommended_by from plays where position = 1")" "random"
echo "browse: ok ($(q 'select count(*) from plays where reason is not null') plays with a reason)"
