#!/usr/bin/env bash
# The test command (npm test): lint, types, unit tests, then the integration tests against the
# lab swarm. In CI (CI=true) the lab is brought up here and integration tests must run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo '== lint'
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
# No import cycles (eslint has the layer rules; dependency-cruiser sees whole cycles).
npx depcruise source --config .dependency-cruiser.cjs --output-type err
echo '== types'
npx tsc --noEmit
echo '== build'
# Types were checked above: the bundle alone.
node scripts/bundle.mjs
# Totals of every vitest run, for one plain closing line.
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
summary() {
  node -e '
    const fs = require("fs");
    let passed = 0, failed = 0, skipped = 0;
    for (const f of fs.readdirSync(process.argv[1])) {
      const r = JSON.parse(fs.readFileSync(`${process.argv[1]}/${f}`, "utf8"));
      passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    }
    console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$results"
}
run_vitest() {
  local name=$1
  shift
  local code=0
  npx vitest run "$@" --reporter=default --reporter=json --outputFile.json="$results/$name.json" || code=$?
  if [ "$code" != 0 ]; then
    summary
    exit "$code"
  fi
}

echo '== unit'
run_vitest unit --project unit

lab_possible() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
if [ "${CI:-}" = true ] || [ "${CHAOSDECK_INTEGRATION:-}" = 1 ] || lab_possible; then
  echo '== lab swarm'
  bash scripts/lab.sh up --workers 2
  # The demo's login app (if `npm run demo` ran here) would sort before the lab's services in
  # every console a test opens; the tests that use it bring it up and down themselves.
  bash scripts/lab.sh app-down
  echo '== integration'
  export CHAOSDECK_INTEGRATION=1
  run_vitest integration --project integration
else
  echo '== integration SKIPPED: not root on a Debian-like machine, so no lab swarm can be started here.'
  echo '   Run as root (or set CHAOSDECK_INTEGRATION=1 with a lab already up) to run them.'
fi
summary
