# The Tigre CRM app image: one image, four roles chosen by the command
# (docker-compose.yml sets it per service):
#   migrate  node --import tsx db/migrate.ts      (one-shot)
#   worker   node --import tsx worker/main.ts
#   api      node --import tsx api/main.ts        (default)
#   web      node web/build/index.js              (SvelteKit adapter-node output)
# TypeScript runs through tsx at run time, as in development; only the web is built.
# Written for the classic builder too (no RUN --mount), so plain `docker-compose build` works.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app
# TIGRE_SKIP_TOOLS: the root postinstall would otherwise download the Temporal CLI into .tools/,
# which the containers do not use (Temporal runs as its own service).
ENV TIGRE_SKIP_TOOLS=1 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# Every dependency, dev ones included: the web build needs vite, SvelteKit and adapter-node.
FROM base AS deps
COPY package.json package-lock.json ./
COPY scripts/install-tools.mjs ./scripts/install-tools.mjs
RUN npm ci

FROM deps AS web-build
COPY . .
RUN cd web && npx vite build

# Production dependencies only, installed apart so source changes do not invalidate this layer.
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY scripts/install-tools.mjs ./scripts/install-tools.mjs
RUN npm ci --omit=dev && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/.data
# Files stay owned by root (read-only to the app); only DATA_DIR is writable by `node`.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY config ./config
COPY domain ./domain
COPY db ./db
COPY workflows ./workflows
COPY activities ./activities
COPY services ./services
COPY journeys ./journeys
COPY providers ./providers
COPY worker ./worker
COPY api ./api
COPY scripts ./scripts
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
COPY --from=web-build /app/web/build ./web/build
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8787 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
