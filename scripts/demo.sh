#!/usr/bin/env bash
# npm run demo: bring up the lab swarm (one worker node), then open the console against it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
bash scripts/lab.sh up --workers "${LAB_WORKERS:-1}"
exec node dist/cli.js "$@"
