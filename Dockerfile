# syntax=docker/dockerfile:1.7
# One image for every role; FLEETWIRE_ROLE (all, edge, worker, ingest) picks it. Node 24 runs the TypeScript
# sources directly (type stripping), so there is no build step: the image holds production dependencies only.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
ENV PNPM_HOME=/pnpm CI=true
RUN corepack enable
WORKDIR /app
# The lockfile alone fills the store, so this layer is rebuilt only when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch --prod
COPY packages ./packages
COPY services ./services
# Manifests of the workspace's other projects, so that the frozen lockfile matches the workspace.
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
RUN --mount=type=cache,id=pnpm,target=/pnpm/store \
    pnpm install --offline --prod --frozen-lockfile --filter "@fleetwire/fleetwire..."

FROM ${NODE_IMAGE} AS runtime
# The same V8 flags as the Helm chart's defaults for a 512 MiB pod (see packages/devcluster productionNodeFlags).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=320" \
    FLEETWIRE_ROLE=all \
    BIND_ADDRESS=0.0.0.0 \
    FLEETWIRE_DATA_DIR=/data \
    METRICS_PORT=9464
WORKDIR /app
COPY --from=dependencies --chown=root:root /app /app
# Owned by root and read-only to the process: a read-only root filesystem changes nothing for it. Only the
# all-in-one role writes, to FLEETWIRE_DATA_DIR, which must be a volume.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 9000 8080 9464
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "services/fleetwire/src/main.ts"]
