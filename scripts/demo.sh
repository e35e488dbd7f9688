#!/usr/bin/env bash
# npm run demo: bring up the lab swarm (one worker node), then open the console against it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
# npm run demo -- --managers 3: beside the lab, a swarm of 3 managers of its own (labm1-3), to
# cut its leader off; the console talks to labm2.
managers=1
if [ "${1:-}" = --managers ]; then
  managers=${2:?--managers needs a number}
  shift 2
fi
bash scripts/lab.sh up --workers "${LAB_WORKERS:-1}" --app --managers "$managers"
# The faults' watchdogs run chaosdeck's own image on the manager (built offline: npm run image),
# and reach the lab's workers through helpers from the lab's offline image.
npm run -s image >/dev/null
# The image just built, on the managers' swarm too (a watchdog may land on any manager).
[ "$managers" -le 1 ] || bash scripts/lab.sh managers "$managers"
export CHAOSDECK_WATCHDOG_IMAGE=${CHAOSDECK_WATCHDOG_IMAGE:-chaosdeck:local}
export CHAOSDECK_HELPER_IMAGE=${CHAOSDECK_HELPER_IMAGE:-demo/swarm-helper:local}
# The lab workers are reachable through their sockets: give them to the console with --node.
# shellcheck disable=SC2046
# R in the console lists the example experiments.
# --tc-image: the lab's offline image, for a network window a watchdog ends (from a container).
# With --managers: the console on labm1, the leader of the managers' swarm beside the lab at
# first, given every other manager: P on labm_agent's task on labm1 cuts chaosdeck's own manager
# off, and the console follows the swarm through another and back.
if [ "$managers" -gt 1 ]; then
  hosts=()
  for i in $(seq 1 "$managers"); do hosts+=(-H "unix:///run/chaosdeck-lab/labm$i.sock"); done
  exec bin/chaosdeck "${hosts[@]}" --tc-image demo/nettools:local "$@"
fi
exec bin/chaosdeck $(bash scripts/lab.sh env | grep -v labm) --tc-image demo/nettools:local --experiments examples "$@"
