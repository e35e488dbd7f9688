#!/usr/bin/env bash
# npm run image: chaosdeck:local, built offline (no registry, no base image to pull): a root
# filesystem holding the single executable (npm run binary) and the C libraries it loads, given to
# `docker import`. It holds what the Dockerfile's image holds (distroless/cc: glibc, libstdc++,
# nothing else), so the lab runs what a registry would serve.
#   scripts/image.sh [--host DOCKER_HOST] [--tag NAME]
set -euo pipefail
cd "$(dirname "$0")/.."

host=${DOCKER_HOST:-unix:///var/run/docker.sock}
tag=chaosdeck:local
while [ $# -gt 0 ]; do
  case $1 in
  --host) host=$2; shift 2 ;;
  --tag) tag=$2; shift 2 ;;
  *) echo "usage: scripts/image.sh [--host DOCKER_HOST] [--tag NAME]" >&2; exit 2 ;;
  esac
done

binary=release/chaosdeck-linux-$(node -p process.arch)
[ -x "$binary" ] || { echo "image: $binary is missing: npm run binary first" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/root" "$root/state"
chmod 1777 "$root/tmp"
cp "$binary" "$root/usr/local/bin/chaosdeck"
# The libraries the executable loads, and the loader itself, at the paths it looks for them.
for lib in $(ldd "$binary" | awk '/=>/ {print $3} /^[[:space:]]*\// {print $1}'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# The console's modules unpacked where the executable looks first (~/.cache/chaosdeck): a
# container then writes nothing to start, and runs with --read-only too.
XDG_CACHE_HOME=$root/root/.cache "$binary" --version >/dev/null
echo 'root:x:0:0:root:/root:/usr/local/bin/chaosdeck' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

# XDG_STATE_HOME=/state: the ledger, journal and reports under /state/chaosdeck, where the
# documented line mounts a named volume. No VOLUME: an anonymous volume would go with --rm
# unnoticed, where the console warns loudly about state on the container's own filesystem.
# MALLOC_MMAP_THRESHOLD_: what bin/chaosdeck sets for the npm install (memory handed back).
# The image this tag named before: removed once replaced (each build is ~110 MB; a container
# still running it keeps it, and that is fine).
previous=$(docker -H "$host" image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
tar -C "$root" -c . | docker -H "$host" import \
  -c 'ENV PATH=/usr/local/bin' \
  -c 'ENV HOME=/root' \
  -c 'ENV XDG_STATE_HOME=/state' \
  -c 'ENV MALLOC_MMAP_THRESHOLD_=1048576' \
  -c 'ENTRYPOINT ["/usr/local/bin/chaosdeck"]' \
  - "$tag" >/dev/null
current=$(docker -H "$host" image inspect -f '{{.Id}}' "$tag")
if [ -n "$previous" ] && [ "$previous" != "$current" ]; then
  docker -H "$host" image rm "$previous" >/dev/null 2>&1 || true
fi
echo "$tag"
