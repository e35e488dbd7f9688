#!/usr/bin/env bash
# npm run demo: bring up the lab swarm (one worker node), then open the console against it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
bash scripts/lab.sh up --workers "${LAB_WORKERS:-1}" --app
# The faults' watchdogs run chaosdeck's own image on the manager (built offline: npm run image),
# and reach the lab's workers through helpers from the lab's offline image.
npm run -s image >/dev/null
export CHAOSDECK_WATCHDOG_IMAGE=${CHAOSDECK_WATCHDOG_IMAGE:-chaosdeck:local}
export CHAOSDECK_HELPER_IMAGE=${CHAOSDECK_HELPER_IMAGE:-demo/swarm-helper:local}
# The lab workers are reachable through their sockets: give them to the console with --node.
# shellcheck disable=SC2046
# R in the console lists the example experiments.
# --tc-image: the lab's offline image, for a network window a watchdog ends (from a container).
exec bin/chaosdeck $(bash scripts/lab.sh env) --tc-image demo/nettools:local --experiments examples "$@"
