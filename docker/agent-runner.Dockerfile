# syntax=docker/dockerfile:1.7
# Agent runner: one image for every role (the role arrives as OMAKASE_ROLE in the RunTask overrides).
# Build from the repository root: docker build -f docker/agent-runner.Dockerfile -t omakase/runner:<tag> .
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/agent-runner/package.json apps/agent-runner/
COPY packages/api-contract/package.json packages/api-contract/
COPY packages/auth/package.json packages/auth/
COPY packages/config/package.json packages/config/
COPY packages/domain/package.json packages/domain/
COPY packages/workspace-env/package.json packages/workspace-env/
# Production dependencies only. The Claude Code binary arrives through the SDK's optional
# dependency (@anthropic-ai/claude-agent-sdk-linux-x64), so optional deps must stay included.
RUN npm ci --omit=dev --include=optional --ignore-scripts --workspace @omakase/agent-runner --no-audit --no-fund
# Source-only workspace packages run through the tsx loader, kept apart from the app's tree.
RUN npm install --prefix /opt/tsx --no-save --no-audit --no-fund tsx@4.23.15

FROM ${NODE_IMAGE} AS runtime
# The runner (uid 10001) holds the run token; Claude Code and its tools run as `agent` (uid 10002),
# which cannot read the runner's /proc entries. The switch goes through a setuid copy of setpriv
# that only the runner's group may execute (apps/agent-runner/src/agent-isolation.ts, mode `user`).
ENV NODE_ENV=production \
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
    HOME=/tmp \
    OMAKASE_AGENT_ISOLATION=user \
    OMAKASE_AGENT_UID=10002 \
    OMAKASE_AGENT_GID=10002 \
    OMAKASE_AGENT_HELPER=/usr/local/libexec/omakase/agent-setpriv
RUN apt-get update \
 && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u3 ca-certificates=20230311+deb12u1 \
      python3=3.11.2-1+b1 python3-venv=3.11.2-1+b1 python3-pip=23.0.1+dfsg-1 python3-dev=3.11.2-1+b1 \
      build-essential=12.9 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 runner && useradd --uid 10001 --gid runner --no-create-home --shell /usr/sbin/nologin runner \
 && groupadd --gid 10002 agent && useradd --uid 10002 --gid agent --no-create-home --shell /usr/sbin/nologin agent \
 && install -d -o root -g root -m 0755 /usr/local/libexec/omakase \
 && install -o root -g runner -m 4750 /usr/bin/setpriv /usr/local/libexec/omakase/agent-setpriv
WORKDIR /app
COPY --from=deps /opt/tsx /opt/tsx
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY apps/agent-runner/package.json apps/agent-runner/
COPY apps/agent-runner/src apps/agent-runner/src
COPY apps/agent-runner/roles apps/agent-runner/roles
COPY packages/api-contract packages/api-contract
COPY packages/auth packages/auth
COPY packages/config packages/config
COPY packages/domain packages/domain
COPY packages/workspace-env packages/workspace-env
USER 10001:10001
ENTRYPOINT ["node", "--import", "/opt/tsx/node_modules/tsx/dist/loader.mjs", "apps/agent-runner/src/main.ts"]
