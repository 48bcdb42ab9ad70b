# JANE Workspace: one image for the app (REST, /collab WebSockets, socket.io, the built client).
# Build:  docker build -t jane-workspace .
# Run:    docker run -p 3000:3000 -v jane-data:/data jane-workspace      (SQLite in /data)
#         or with MONGODB_URI / REDIS_URL set: see compose.yaml.

FROM node:20-bookworm-slim AS base
# The pnpm release the lockfile was written with.
RUN npm install -g pnpm@12.23.0 && npm cache clean --force
WORKDIR /app
ENV CI=true

FROM base AS build
# better-sqlite3 compiles from source where its prebuilt binary cannot be downloaded; node-gyp
# then needs a compiler, Python and the Node headers the image ships in /usr/local.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
COPY e2e/package.json e2e/
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The built server (server/dist, from `pnpm build` above), run by node itself so that
# SIGTERM reaches it directly and drains connections.
CMD ["node", "server/dist/main.js"]
