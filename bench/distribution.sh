#!/usr/bin/env bash
# What each way of installing costs: size on disk, and start-up of a command that does not touch
# the engine (--version) and of one that does (status --json), RUNS times each (default 10),
# for the npm install's command (bin/chaosdeck: Node on dist/) and the single executable.
# Needs the lab, the bundle (npm run build) and the executable (npm run binary).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
binary=release/chaosdeck-linux-$(node -p process.arch)
[ -x "$binary" ] || { echo "no $binary: npm run binary first" >&2; exit 1; }
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT

# Median wall time in ms of RUNS runs of a command.
median_ms() {
  local times=() i start end
  for i in $(seq 1 "$runs"); do
    start=$(date +%s%N)
    XDG_STATE_HOME=$state "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

pack=$(mktemp -d)
npm pack --silent --pack-destination "$pack" >/dev/null
tarball_kb=$(du -k "$pack"/chaosdeck-*.tgz | cut -f1)
rm -rf "$pack"
dist_kb=$(du -sk dist | cut -f1)
binary_kb=$(du -k "$binary" | cut -f1)
image_mb=$(docker image inspect -f '{{.Size}}' chaosdeck:local 2>/dev/null | awk '{printf "%d", $1/1000000}')
for cmd in bin/chaosdeck "$binary"; do
  version=$(median_ms "$cmd" --version)
  status=$(median_ms "$cmd" status --json)
  echo "{\"bench\":\"distribution\",\"command\":\"$cmd\",\"runs\":$runs,\"version_ms\":$version,\"status_ms\":$status}"
done
echo "{\"bench\":\"distribution-size\",\"npm_tarball_kb\":$tarball_kb,\"dist_kb\":$dist_kb,\"binary_kb\":$binary_kb,\"image_mb\":${image_mb:-null}}"
