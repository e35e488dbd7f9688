#!/usr/bin/env bash
# npm run demo: bring up the lab swarm (one worker node), then open the console against it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
# npm run demo -- --managers 3: the lab with 3 managers (the host, labm1, labm2), to cut a leader
# off; the console then talks to labm1 when the host leads (it will not cut its own manager).
managers=1
if [ "${1:-}" = --managers ]; then
  managers=${2:?--managers needs a number}
  shift 2
fi
bash scripts/lab.sh up --workers "${LAB_WORKERS:-1}" --app --managers "$managers"
# The faults' watchdogs run chaosdeck's own image on the manager (built offline: npm run image),
# and reach the lab's workers through helpers from the lab's offline image.
npm run -s image >/dev/null
# The image just built, on the extra managers too (a watchdog may land on any manager).
[ "$managers" -le 1 ] || bash scripts/lab.sh managers "$managers"
export CHAOSDECK_WATCHDOG_IMAGE=${CHAOSDECK_WATCHDOG_IMAGE:-chaosdeck:local}
export CHAOSDECK_HELPER_IMAGE=${CHAOSDECK_HELPER_IMAGE:-demo/swarm-helper:local}
# The lab workers are reachable through their sockets: give them to the console with --node.
# shellcheck disable=SC2046
# R in the console lists the example experiments.
# --tc-image: the lab's offline image, for a network window a watchdog ends (from a container).
host=()
if [ "$managers" -gt 1 ] && [ "$(docker node ls --filter role=manager --format '{{.Hostname}} {{.ManagerStatus}}' | awk '$2 == "Leader" {print $1}')" = "$(hostname)" ]; then
  host=(-H unix:///run/chaosdeck-lab/labm1.sock)
fi
exec bin/chaosdeck "${host[@]}" $(bash scripts/lab.sh env) --tc-image demo/nettools:local --experiments examples "$@"
