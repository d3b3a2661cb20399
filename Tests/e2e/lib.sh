# Shared by the end-to-end scripts (sourced, not run): a scratch directory $WORK and a private
# tmux server $T, both removed on exit; polling the screen; checking the database with sqlite3.
# Set BIN, and DB if the script checks a database, before calling the helpers.
set -euo pipefail
export LANG=C.UTF-8 LC_ALL=C.UTF-8
WORK=$(mktemp -d)
SOCKET=botify-$(basename "$0" .sh)-$$
T="tmux -L $SOCKET -f /dev/null"
# kill-server leaves the socket file behind.
cleanup() { $T kill-server 2>/dev/null || true; rm -rf "$WORK" "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET"; }
trap cleanup EXIT

# The tmux session that `screen` and `wait_for` read.
PANE=e2e

step() { echo "e2e: $*"; }
fail() { echo "FAIL: $*"; exit 1; }

# `botify play ARGS…` in a 100×30 pane named NAME. XDG_CONFIG_HOME is $CONFIG_HOME, by default an
# empty directory so a developer's own key bindings do not apply. The pane prints EXIT=status
# when the player ends.
play_in() {
    local name=$1; shift
    $T new-session -d -s "$name" -x 100 -y 30 \
        "env TERM=xterm-256color ESCDELAY=25 XDG_CONFIG_HOME=${CONFIG_HOME:-$WORK/config} $(printf '%q ' "$BIN" play "$@"); echo EXIT=\$?; sleep 30"
    $T set -sg escape-time 0
}

screen() { $T capture-pane -t "$PANE" -p; }

# Polls (never a fixed sleep) until the screen shows TEXT; prints the screen if it never does.
wait_for() {
    for _ in $(seq 600); do screen | grep -qF -- "$1" && return 0; sleep 0.05; done
    echo "FAIL: timed out waiting for: $1"; screen; exit 1
}

# The same for an extended regular expression.
wait_for_match() {
    for _ in $(seq 600); do screen | grep -qE -- "$1" && return 0; sleep 0.05; done
    echo "FAIL: timed out waiting for a match of: $1"; screen; exit 1
}

# A mouse click at 1-based column X, row Y, as an xterm SGR report (a press, then a release).
click() { $T send-keys -t "$PANE" -l $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }

# The player may still be writing: wait for its locks rather than fail.
q() { sqlite3 -batch -cmd ".timeout 5000" "$DB" "$1"; }
expect() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }
