# The chaosdeck image for a registry: the single executable on distroless/cc.
#   docker build -t chaosdeck .
#   docker run --rm -it -v /var/run/docker.sock:/var/run/docker.sock -v chaosdeck:/state chaosdeck
# Why distroless/cc and not a Node image: the executable carries its own Node, so the image needs
# only glibc and libstdc++ (~25 MB with no shell, no package manager, nothing to patch but
# chaosdeck). `npm run image` builds the same contents offline, by docker import.
# arm64: build on an arm64 machine, or `docker buildx build --platform linux/arm64 .` (the node
# image is multi-arch; scripts/binary.mjs builds for the Node it runs on).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN node scripts/binary.mjs && cp "release/chaosdeck-linux-$(node -p process.arch)" /chaosdeck
# The console's modules unpacked where the executable looks first: nothing written at start.
RUN XDG_CACHE_HOME=/cache /chaosdeck --version

FROM gcr.io/distroless/cc-debian12
COPY --from=build /chaosdeck /usr/local/bin/chaosdeck
COPY --from=build /cache /root/.cache
ENV HOME=/root XDG_STATE_HOME=/state MALLOC_MMAP_THRESHOLD_=1048576
ENTRYPOINT ["/usr/local/bin/chaosdeck"]
