#!/usr/bin/env bash
# The real CLI in a real terminal (tmux 120x40) against the stand-in engine API
# (bench/fake-engine.ts) at a real cluster's size: SERVICES services x TASKS running tasks (one
# history task each; default 1000 x 5 = 10 000 tasks), NODES nodes.
#   first frame   launch -> live, the first services and the selected container's health on screen
#   idle          CPU time from /proc over DURATION seconds (default 60), RSS at the end
#   churn         1 % of tasks fail and are replaced every second: CPU over CHURN_SECONDS (30),
#                 and ROUNDS (10) timed changes: a task of the selected service fails in the
#                 engine -> its `failed` row on screen
# Needs: npm run build && npx tsc -p tsconfig.bench.json. Prints one JSON line.
set -euo pipefail
cd "$(dirname "$0")/.."
SERVICES=${SERVICES:-1000} TASKS=${TASKS:-5} NODES=${NODES:-5}
DURATION=${DURATION:-60} CHURN_SECONDS=${CHURN_SECONDS:-30} ROUNDS=${ROUNDS:-10}
work=$(mktemp -d)
sock=$work/engine.sock
session=chaosdeck-scale-$$
node bench/.build/bench/fake-engine.js --socket "$sock" --services "$SERVICES" --tasks "$TASKS" \
  --nodes "$NODES" >"$work/engine.log" 2>&1 &
engine=$!
pid=""
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  # The console writes its journal and report as it quits: its state goes once it has.
  if [ -n "$pid" ]; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  fi
  kill "$engine" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
until [ -S "$sock" ]; do sleep 0.05; done
ctl() { curl -s --unix-socket "$sock" -X POST "http://engine/_bench/$1"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
screen() { tmux capture-pane -p -t "$session"; }

start=$(now_ms)
tmux new -d -s "$session" -x 120 -y 40 \
  "DOCKER_HOST=unix://$sock XDG_STATE_HOME=$work/state exec bin/chaosdeck"
until screen | grep -q 'Health of' && screen | grep -q '● live' && screen | grep -q 'svc-0000'; do
  [ $(( $(now_ms) - start )) -lt 30000 ] || { screen >&2; echo "no full frame in 30 s" >&2; exit 1; }
  sleep 0.01
done
first_frame=$(( $(now_ms) - start ))
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
cpu_percent() { # ticks before, ticks after, seconds
  awk -v a="$1" -v b="$2" -v hz="$(getconf CLK_TCK)" -v d="$3" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / d }'
}
sleep 5
t0=$(ticks); sleep "$DURATION"; t1=$(ticks)
idle=$(cpu_percent "$t0" "$t1" "$DURATION")
rss=$(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 ))

ctl 'churn?percent=1' >/dev/null
t0=$(ticks); churn_start=$(now_ms)
# The slot's current row (not its history, "\_ ..."): failed until the replacement runs. Counting
# every failed row of the slot missed a round whenever the replacement pushed the previous
# failure out of the history before a frame showed both.
current_failed() { screen | grep -c '^. svc-0000\.1 .* failed' || true; }
changes=()
for _ in $(seq 1 "$ROUNDS"); do
  until [ "$(current_failed)" -eq 0 ]; do sleep 0.05; done
  at=$(ctl 'fail?service=svc-0000' | sed -E 's/.*"at":([0-9]+).*/\1/')
  until [ "$(current_failed)" -gt 0 ]; do
    [ $(( $(now_ms) - at )) -lt 15000 ] || { screen >&2; echo "the failure never showed" >&2; exit 1; }
    sleep 0.01
  done
  changes+=($(( $(now_ms) - at )))
  sleep 3
done
elapsed=$(( ($(now_ms) - churn_start) / 1000 ))
[ "$elapsed" -ge "$CHURN_SECONDS" ] || sleep $(( CHURN_SECONDS - elapsed ))
t1=$(ticks)
churn_cpu=$(cpu_percent "$t0" "$t1" "$(awk -v ms=$(( $(now_ms) - churn_start )) 'BEGIN { print ms / 1000 }')")
churn_rss=$(( $(awk '/VmRSS/{print $2}' "/proc/$pid/status") / 1024 ))
sorted=$(printf '%s\n' "${changes[@]}" | sort -n | tr '\n' ' ')
echo "{\"bench\":\"scale\",\"services\":$SERVICES,\"tasks\":$(( SERVICES * TASKS * 2 )),\"first_frame_ms\":$first_frame,\"idle_cpu_percent\":$idle,\"idle_rss_mb\":$rss,\"churn_cpu_percent\":$churn_cpu,\"churn_rss_mb\":$churn_rss,\"change_to_screen_ms_sorted\":\"${sorted% }\"}"
