#!/usr/bin/env bash
# Time from launching `bin/chaosdeck` in a real terminal (tmux) to a full frame on screen:
# live, all lab services, and the selected container's health. RUNS times (default 5).
# CHAOSDECK_CMD runs another build (e.g. release/chaosdeck-linux-x64, the single executable).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
times=()
for i in $(seq 1 "$runs"); do
  session=chaosdeck-ff-$$-$i
  start=$(date +%s%N)
  tmux new -d -s "$session" -x 120 -y 40 "exec ${CHAOSDECK_CMD:-bin/chaosdeck}"
  until tmux capture-pane -p -t "$session" 2>/dev/null | grep -q 'Health of'; do
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 10000 ] || break
    sleep 0.01
  done
  screen=$(tmux capture-pane -p -t "$session")
  end=$(date +%s%N)
  tmux kill-session -t "$session"
  grep -q '● live' <<<"$screen" && grep -q lab_worker <<<"$screen" || { echo "no full frame in run $i" >&2; exit 1; }
  times+=($(( (end - start) / 1000000 )))
  sleep 0.5
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
echo "{\"bench\":\"first-frame\",\"command\":\"${CHAOSDECK_CMD:-bin/chaosdeck}\",\"runs\":$runs,\"ms_sorted\":\"${sorted% }\"}"
