#!/usr/bin/env bash
# All benchmarks (needs the lab: scripts/lab.sh up). Prints one JSON line per benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run -s build
npx tsc -p tsconfig.bench.json
node --expose-gc bench/.build/bench/render-scale.js
node bench/.build/bench/live-latency.js
bash bench/first-frame.sh
bash bench/idle-cpu.sh
bash bench/scale.sh
node scripts/binary.mjs >/dev/null 2>&1
bash bench/distribution.sh
CHAOSDECK_CMD=release/chaosdeck-linux-$(node -p process.arch) bash bench/first-frame.sh
