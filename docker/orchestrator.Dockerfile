# syntax=docker/dockerfile:1.7
# Orchestrator service (COMPUTE_DRIVER=ecs in the cloud: it starts runner tasks, it runs no agent itself).
# Build from the repository root: docker build -f docker/orchestrator.Dockerfile -t omakase/orchestrator:<tag> .
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/orchestrator/package.json apps/orchestrator/
COPY packages/api-contract/package.json packages/api-contract/
COPY packages/auth/package.json packages/auth/
COPY packages/config/package.json packages/config/
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/engine/package.json packages/engine/
COPY packages/github/package.json packages/github/
COPY packages/linear/package.json packages/linear/
COPY packages/net-policy/package.json packages/net-policy/
COPY packages/secrets/package.json packages/secrets/
COPY packages/workspace-env/package.json packages/workspace-env/
RUN npm ci --omit=dev --ignore-scripts --workspace @omakase/orchestrator --no-audit --no-fund
RUN npm install --prefix /opt/tsx --no-save --no-audit --no-fund tsx@4.23.15

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOME=/tmp
RUN apt-get update \
 && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u3 ca-certificates=20230311+deb12u1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 omakase && useradd --uid 10001 --gid omakase --no-create-home --shell /usr/sbin/nologin omakase
WORKDIR /app
COPY --from=deps /opt/tsx /opt/tsx
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY apps/orchestrator/package.json apps/orchestrator/
COPY apps/orchestrator/src apps/orchestrator/src
COPY packages/api-contract packages/api-contract
COPY packages/auth packages/auth
COPY packages/config packages/config
COPY packages/db packages/db
COPY packages/domain packages/domain
COPY packages/engine packages/engine
COPY packages/github packages/github
COPY packages/linear packages/linear
COPY packages/net-policy packages/net-policy
COPY packages/secrets packages/secrets
COPY packages/workspace-env packages/workspace-env
COPY --chmod=0555 docker/orchestrator-entrypoint.sh /usr/local/bin/orchestrator-entrypoint
USER 10001:10001
EXPOSE 4020
ENTRYPOINT ["/usr/local/bin/orchestrator-entrypoint"]
