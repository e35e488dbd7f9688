#!/usr/bin/env bash
# An outside `docker kill` of a lab_api task, side by side: how soon chaosdeck's tasks pane and
# a general Docker TUI (lazydocker, ../shared/peers) show it, both in tmux at 120x40, both
# screens polled the same way (every 10 ms). The floor is the `die` event's own time.
# ROUNDS kills (default 20); PEER is the peer binary. Needs the lab (scripts/lab.sh up) and
# npm run build. Prints one JSON line (ms from the kill command; die = the event's time).
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

tmux new -d -s "$cd_session" -x 120 -y 40 "XDG_STATE_HOME=$work/state exec node dist/cli.js"
tmux new -d -s "$peer_session" -x 120 -y 40 "XDG_CONFIG_HOME=$work/peer exec $PEER"
until screen "$cd_session" | grep -q 'Tasks of lab_api'; do sleep 0.1; done
sleep 2

running_api() {
  docker ps -q --filter label=com.docker.swarm.service.name=lab_api --filter status=running
}
cd_ms=() peer_ms=() die_ms=()
for round in $(seq 1 "$ROUNDS"); do
  until [ "$(running_api | wc -l)" -eq 2 ]; do sleep 0.2; done
  sleep 1
  cid=$(running_api | head -1)
  name=$(docker inspect "$cid" --format '{{index .Config.Labels "com.docker.swarm.task.name"}}')
  slot=${name%.*}          # lab_api.1
  short=${name:0:20}       # what the peer's list shows of the name
  until screen "$peer_session" | grep -q "running.*${short}"; do sleep 0.1; done
  cd_pattern="${slot//./\\.} .* failed"
  cd_before=$(screen "$cd_session" | grep -c "$cd_pattern" || true)
  events=$work/die-$round
  docker events --since "$(date +%s)" --filter "container=$cid" --filter event=die \
    --format '{{.TimeNano}}' >"$events" &
  watcher=$!
  sleep 0.3
  start=$(now_ms)
  docker kill "$cid" >/dev/null
  seen_cd="" seen_peer=""
  while [ -z "$seen_cd" ] || [ -z "$seen_peer" ]; do
    t=$(now_ms)
    [ $((t - start)) -lt 15000 ] || { echo "round $round: not shown in 15 s" >&2; exit 1; }
    if [ -z "$seen_cd" ] && [ "$(screen "$cd_session" | grep -c "$cd_pattern" || true)" -gt "$cd_before" ]; then
      seen_cd=$((t - start))
    fi
    # The peer lists running containers first: the killed one leaves that group at once (its
    # exited row may be below the fold among older ones).
    if [ -z "$seen_peer" ] && ! screen "$peer_session" | grep -q "running.*${short}"; then
      seen_peer=$((t - start))
    fi
    sleep 0.01
  done
  until [ -s "$events" ]; do sleep 0.05; done
  kill "$watcher" 2>/dev/null || true
  die_ms+=($(($(head -1 "$events") / 1000000 - start)))
  cd_ms+=("$seen_cd")
  peer_ms+=("$seen_peer")
done

stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
  p50 = v[int((NR + 1) / 2)]; p95 = v[int(NR * 0.95 + 0.999)]
  printf "{\"p50\":%d,\"p95\":%d,\"max\":%d}", p50, p95, v[NR] }'; }
echo "{\"bench\":\"outside-kill\",\"rounds\":$ROUNDS,\"die_event\":$(stats "${die_ms[@]}"),\"chaosdeck\":$(stats "${cd_ms[@]}"),\"peer\":$(stats "${peer_ms[@]}")}"
