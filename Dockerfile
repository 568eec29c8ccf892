# syntax=docker/dockerfile:1
# jobalert: multi-stage build on the Node.js 24 LTS slim image (Debian bookworm).
# The build stage runs what CI runs (npm ci, the TypeScript build, then npm prune --omit=dev),
# in layers Docker can cache: installing depends only on package.json and package-lock.json,
# so a code change rebuilds dist/ without reinstalling or recompiling better-sqlite3. The
# runtime stage carries only dist/, the production modules and config/: no compiler, no npm.
# Run it with `docker run --stop-timeout 60 ...` (compose: stop_grace_period), see README.

FROM node:24-bookworm-slim AS build
# better-sqlite3 is a native addon: node-gyp needs python3, make and g++ when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# 1. Dependencies, cached until the lockfile changes. --ignore-scripts holds back our own
#    `prepare` (the build: src/ is not copied yet) and every install script; better-sqlite3's
#    install script (prebuilt binary, else node-gyp) is then run by name.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3
# 2. The build (`prepare` in CI), then production modules only. Of better-sqlite3 only the
#    compiled addon is kept: its SQLite sources and the compiler's intermediates are build output.
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/better_sqlite3.node \
 && rm -rf build deps src binding.gyp \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/better_sqlite3.node

FROM node:24-bookworm-slim
# Nothing at run time needs npm, npx, corepack or yarn: fewer files, fewer advisories to patch.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && mkdir -p /data && chown node:node /data
# JOBALERT_HTTP_HOST: outside Docker the HTTP server listens on 127.0.0.1 only; a container must
# listen on every interface to be reachable through -p. JOBALERT_DB puts the database on the volume.
ENV NODE_ENV=production \
    JOBALERT_CONFIG=/app/config/jobalert.yaml \
    JOBALERT_DB=/data/jobalert.db \
    JOBALERT_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
# uid:gid 1000:1000. A bind-mounted /data must be writable by it (chown 1000:1000 the host folder).
USER node
VOLUME ["/data"]
EXPOSE 8080
# SIGTERM stops scheduling, lets polls in flight finish (5 s) and flushes due alerts; Docker's
# default 10 s before SIGKILL can cut that flush: use --stop-timeout 60 (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# The check reads http.port and http.host from the same config and environment as the daemon
# (any port; port 0 means no server: reported healthy, with a note, as there is nothing to ask).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "dist/cli.js", "healthcheck"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
