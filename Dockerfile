# syntax=docker/dockerfile:1.7
# One image for every role; FLEETWIRE_ROLE (all, edge, worker, ingest) picks it. Node 24 runs the TypeScript
# sources directly (type stripping); the one build is the dashboard's bundle, made in a stage of its own so that
# the image holds production dependencies only.

# Pinned by digest, so that a rebuild of the same commit gets the same base; update the tag and the digest together.
ARG NODE_IMAGE=node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

FROM ${NODE_IMAGE} AS dashboard
ENV PNPM_HOME=/pnpm CI=true
RUN corepack enable
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY patches ./patches
COPY packages ./packages
COPY services ./services
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
RUN --mount=type=cache,id=pnpm,target=/pnpm/store \
    pnpm install --frozen-lockfile --filter "@fleetwire/dashboard" && pnpm --filter @fleetwire/dashboard build

FROM ${NODE_IMAGE} AS dependencies
ENV PNPM_HOME=/pnpm CI=true
RUN corepack enable
WORKDIR /app
# The lockfile alone fills the store, so this layer is rebuilt only when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
# Our fixes to dependencies (pnpm patchedDependencies), applied as they install.
COPY patches ./patches
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch --prod
COPY packages ./packages
COPY services ./services
# Manifests of the workspace's other projects, so that the frozen lockfile matches the workspace.
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
RUN --mount=type=cache,id=pnpm,target=/pnpm/store \
    pnpm install --offline --prod --frozen-lockfile --filter "@fleetwire/fleetwire..."
# The image runs services/ and the packages they import: tests, the simulator and its scenarios, the dev cluster
# and the manifests copied only for the lockfile stay out.
RUN rm -rf test bench packages/simulator packages/devcluster packages/*/test services/*/test packages/dashboard/web
COPY --from=dashboard /app/packages/dashboard/dist ./packages/dashboard/dist

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Fleetwire" \
      org.opencontainers.image.description="OCPP 1.6J central system and Easee operator-stream backend for fleets of Easee chargers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="https://github.com/fleetwire/fleetwire" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
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
