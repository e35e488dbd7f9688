#!/usr/bin/env bash
# Idle CPU of the console on the demo stack: run it in tmux (a real terminal), then read its CPU
# time from /proc over its first minute (V8 still compiling, its start-up garbage collected) and
# over DURATION seconds after that (default 60): the console at rest. RSS is read at the end of
# each. WARMUP (default 60) sets the first window's length.
# IDLE_COLS/IDLE_ROWS set the terminal size (default 120x40). The console runs as `npm run demo`
# runs it (the lab's worker endpoints, the example experiments) unless IDLE_ARGS says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-60}
args=${IDLE_ARGS-$(bash scripts/lab.sh env | tr '\n' ' ') --experiments examples}
session=chaosdeck-idle-$$
tmux new -d -s "$session" -x "${IDLE_COLS:-120}" -y "${IDLE_ROWS:-40}" "${IDLE_ENV:-} exec bin/chaosdeck $args"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
pid=""
for _ in $(seq 1 50); do
  # The command execs Node in the pane's own process (which then names itself chaosdeck).
  pid=$(tmux list-panes -t "$session" -F '#{pane_pid}' 2>/dev/null || true)
  [ -n "$pid" ] && readlink "/proc/$pid/exe" 2>/dev/null | grep -q '/node$' && break
  pid=""
  sleep 0.1
done
[ -n "$pid" ] || { echo "console did not start" >&2; exit 1; }
# IDLE_KEYS: keys to press first, e.g. "j" to select lab_db (no healthcheck) instead of lab_api.
[ -z "${IDLE_KEYS:-}" ] || { sleep 2; tmux send-keys -t "$session" $IDLE_KEYS; }
sleep 5
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)
WARMUP=${WARMUP:-60}
t0=$(ticks "$pid")
sleep "$WARMUP"
t1=$(ticks "$pid")
rss1=$(rss_kb "$pid")
sleep "$DURATION"
t2=$(ticks "$pid")
rss2=$(rss_kb "$pid")
awk -v a="$t0" -v b="$t1" -v c="$t2" -v hz="$hz" -v w="$WARMUP" -v d="$DURATION" \
  -v r1="$rss1" -v r2="$rss2" \
  'BEGIN { printf "{\"bench\":\"idle-cpu\",\"first_seconds\":%d,\"first_cpu_percent\":%.2f,\"first_rss_mb\":%d,\"seconds\":%d,\"cpu_percent_of_a_core\":%.2f,\"rss_mb\":%d}\n", w, 100 * (b - a) / hz / w, r1 / 1024, d, 100 * (c - b) / hz / d, r2 / 1024 }'
