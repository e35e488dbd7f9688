#!/usr/bin/env bash
# npm run demo: bring up the lab swarm (one worker node), then open the console against it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
bash scripts/lab.sh up --workers "${LAB_WORKERS:-1}" --app
# The lab workers are reachable through their sockets: give them to the console with --node.
# shellcheck disable=SC2046
# R in the console lists the example experiments.
exec bin/chaosdeck $(bash scripts/lab.sh env) --experiments examples "$@"
