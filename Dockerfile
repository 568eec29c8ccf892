# syntax=docker/dockerfile:1
# jobalert: multi-stage build on the Node.js 24 LTS slim image (Debian bookworm).
# The build stage runs exactly what CI runs: `npm ci` (which builds through `prepare`),
# then drops dev dependencies; the runtime stage carries only dist/ and production modules.

FROM node:24-bookworm-slim AS build
# better-sqlite3 is a native addon: node-gyp needs python3, make and g++ when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    JOBALERT_CONFIG=/app/config/jobalert.yaml \
    JOBALERT_DB=/data/jobalert.db
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["run"]
