#!/usr/bin/env bash
# The test command (npm test): lint, types, unit tests, then the integration tests against the
# lab swarm. In CI (CI=true) the lab is brought up here and integration tests must run.
set -euo pipefail
cd "$(dirname "$0")/.."

echo '== lint'
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }
echo '== types'
npx tsc --noEmit
echo '== build'
npm run -s build
echo '== unit'
npx vitest run --project unit

lab_possible() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
if [ "${CI:-}" = true ] || [ "${CHAOSDECK_INTEGRATION:-}" = 1 ] || lab_possible; then
  echo '== lab swarm'
  bash scripts/lab.sh up --workers 1
  echo '== integration'
  CHAOSDECK_INTEGRATION=1 npx vitest run --project integration
else
  echo '== integration SKIPPED: not root on a Debian-like machine, so no lab swarm can be started here.'
  echo '   Run as root (or set CHAOSDECK_INTEGRATION=1 with a lab already up) to run them.'
fi
