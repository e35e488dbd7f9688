#!/usr/bin/env bash
# An outside `docker kill` of a lab_api task, side by side: how soon chaosdeck's tasks pane and
# a general Docker TUI (lazydocker, ../shared/peers) show it, both in tmux at 120x40, both
# screens watched the same way (bench/pane-watch.ts: the output that changed the screen, as
# tmux received it). The floor is the `die` event's own time.
# ROUNDS kills (default 20); PEER is the peer binary. Needs the lab (scripts/lab.sh up),
# npm run build and npx tsc -p tsconfig.bench.json. Prints one JSON line (ms from the kill
# command; die = the event's time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-20}
PEER=${PEER:-../shared/peers/lazydocker}
work=$(mktemp -d)
cd_session=chaosdeck-ok-$$
peer_session=peer-ok-$$
cleanup() {
  tmux kill-session -t "$cd_session" 2>/dev/null || true
  tmux kill-session -t "$peer_session" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { echo $(($(date +%s%N) / 1000000)); }
screen() { tmux capture-pane -p -t "$1"; }

tmux new -d -s "$cd_session" -x 120 -y 40 "XDG_STATE_HOME=$work/state exec bin/chaosdeck"
tmux new -d -s "$peer_session" -x 120 -y 40 "XDG_CONFIG_HOME=$work/peer exec $PEER"
until screen "$cd_session" | grep -q 'Tasks of lab_api'; do sleep 0.1; done
sleep 2

running_api() {
  docker ps -q --filter label=com.docker.swarm.service.name=lab_api --filter status=running
}
cd_ms=() peer_ms=() die_ms=() cd_first=0
for round in $(seq 1 "$ROUNDS"); do
  until [ "$(running_api | wc -l)" -eq 2 ]; do sleep 0.2; done
  sleep 1
  cid=$(running_api | head -1)
  name=$(docker inspect "$cid" --format '{{index .Config.Labels "com.docker.swarm.task.name"}}')
  slot=${name%.*}          # lab_api.1
  short=${name:0:20}       # what the peer's list shows of the name
  until screen "$peer_session" | grep -q "running.*${short}"; do sleep 0.1; done
  cd_pattern="${slot//./\\.} .* failed"
  # Each screen is watched by its own control-mode client: the time is when the output that
  # changed it reached tmux, not when a poll happened to look (bench/pane-watch.ts).
  node bench/.build/bench/pane-watch.js "$cd_session" --more "$cd_pattern" \
    >"$work/cd-$round" 2>"$work/cd-ready-$round" &
  cd_watch=$!
  # The peer lists running containers first: the killed one leaves that group at once (its
  # exited row may be below the fold among older ones).
  node bench/.build/bench/pane-watch.js "$peer_session" --gone "running.*${short}" \
    >"$work/peer-$round" 2>"$work/peer-ready-$round" &
  peer_watch=$!
  until grep -q ready "$work/cd-ready-$round" && grep -q ready "$work/peer-ready-$round"; do
    sleep 0.05
  done
  events=$work/die-$round
  docker events --since "$(date +%s)" --filter "container=$cid" --filter event=die \
    --format '{{.TimeNano}}' >"$events" &
  watcher=$!
  sleep 0.3
  start=$(now_ms)
  docker kill "$cid" >/dev/null
  wait "$cd_watch" || { echo "round $round: chaosdeck did not show it in 15 s" >&2; exit 1; }
  wait "$peer_watch" || { echo "round $round: the peer did not show it in 15 s" >&2; exit 1; }
  seen_cd=$(($(cat "$work/cd-$round") - start))
  seen_peer=$(($(cat "$work/peer-$round") - start))
  [ "$seen_cd" -ge "$seen_peer" ] || cd_first=$((cd_first + 1))
  until [ -s "$events" ]; do sleep 0.05; done
  kill "$watcher" 2>/dev/null || true
  die_ms+=($(($(head -1 "$events") / 1000000 - start)))
  cd_ms+=("$seen_cd")
  peer_ms+=("$seen_peer")
done

stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  p50 = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95 + 0.999)]
  printf "{\"p50\":%d,\"p95\":%d,\"max\":%d}", p50, p95, v[NR] }'; }
echo "{\"bench\":\"outside-kill\",\"rounds\":$ROUNDS,\"die_event\":$(stats "${die_ms[@]}"),\"chaosdeck\":$(stats "${cd_ms[@]}"),\"peer\":$(stats "${peer_ms[@]}"),\"chaosdeck_first\":$cd_first}"
