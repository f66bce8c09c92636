import { mkdir } from 'node:fs/promises';
import { isAgentRunSpec, type RunResult } from '@omakase/api-contract';
import { EnvError } from '@omakase/config';
import pino from 'pino';
import { type AgentIsolation, verifyIsolation } from './agent-isolation';
import { useApiProxy } from './api-proxy';
import { startSandboxEgressBridge } from './egress-bridge';
import { parseRunnerBootEnv, parseRunnerEnv, parseWarmEnv, type RunnerEnv, type WarmEnv } from './env';
import { EventSink } from './event-sink';
import { exportBundle } from './export-bundle';
import { PlatformClient, withRetry } from './platform-client';
import { createRedactor } from './redact';
import { runAgent } from './run-agent';
import { type EnvironmentContext, runSetup } from './setup-stage';
import { readStdinSecrets, StdinSecretsError } from './stdin-secrets';
import { waitForWarmClaim } from './warm';
import { isolateWorkspaceGit } from './workspace';

/** Exit codes: 0 succeeded, 1 failed or cancelled, 2 configuration error (env or run spec). */
const EXIT = { succeeded: 0, failed: 1, cancelled: 1, config: 2 } as const;
/** SIGTERM must end the process within 2 s: this leaves time to exit after flushing. */
const STOP_FLUSH_MS = 1_200;

/** Parses a part of the environment; a bad value is a configuration error (exit 2). */
function configOrExit<T>(parse: () => T, context = ''): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`[agent-runner] ${context}${error.message}`);
    return process.exit(EXIT.config);
  }
}

const boot = configOrExit(() => parseRunnerBootEnv());
// In the cloud every request of this process leaves through the allowlisting egress proxy.
useApiProxy(boot.OMAKASE_API_PROXY);
// A warm pool task starts without a run and waits here until the API hands it one (warm.ts).
const claimed = boot.OMAKASE_WARM
  ? await waitForWarmClaim(configOrExit<WarmEnv>(() => parseWarmEnv(), 'warm: '))
  : {};

// Credentials stay in this process's memory, never in process.env (see stdin-secrets.ts).
let env: RunnerEnv;
try {
  const secrets = boot.OMAKASE_SECRETS_STDIN ? await readStdinSecrets() : {};
  // The process environment is parsed once, here, with the secrets and the claim over it.
  env = parseRunnerEnv({ ...process.env, ...secrets, ...claimed });
} catch (error) {
  if (!(error instanceof EnvError) && !(error instanceof StdinSecretsError)) throw error;
  console.error(`[agent-runner] ${error.message}`);
  process.exit(EXIT.config);
}
const isolation: AgentIsolation = {
  mode: env.OMAKASE_AGENT_ISOLATION,
  workspace: env.WORKSPACE_DIR,
  user: {
    helper: env.OMAKASE_AGENT_HELPER,
    uid: env.OMAKASE_AGENT_UID,
    gid: env.OMAKASE_AGENT_GID,
    home: '/tmp/omakase-agent',
  },
};
// The runner's own git reads the agent-written .git/config (fsmonitor, filters): isolated too.
isolateWorkspaceGit(isolation);

// In the sandbox's own network namespace the API and model are reachable only through this bridge.
await startSandboxEgressBridge(boot);

const redactor = createRedactor([env.OMAKASE_RUN_TOKEN, env.ANTHROPIC_API_KEY]);
const logger = pino({
  name: 'agent-runner',
  level: env.LOG_LEVEL,
  base: { runId: env.OMAKASE_RUN_ID },
  redact: {
    paths: ['token', '*.token', 'apiKey', '*.apiKey', 'authorization', '*.authorization'],
    censor: '[REDACTED]',
  },
});
const client = new PlatformClient(env.OMAKASE_API_URL, env.OMAKASE_RUN_ID, env.OMAKASE_RUN_TOKEN);
const sink = new EventSink({
  send: (events) => client.postEvents(events),
  onDropped: (count, error) =>
    logger.error({ count, err: redactor.redactString(String(error)) }, 'run events lost'),
});
const stop = new AbortController();
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
  logger.info('SIGTERM: stopping the agent');
  stop.abort('cancelled');
});
process.once('SIGINT', () => stop.abort('cancelled'));
const timeout = setTimeout(() => stop.abort('timeout'), env.OMAKASE_RUN_TIMEOUT_MS);
timeout.unref();

const startDeadline = Date.now() + 30_000;
let spec: Awaited<ReturnType<PlatformClient['fetchSpec']>>;
try {
  spec = await withRetry(
    () => client.fetchSpec(),
    () => startDeadline,
  );
} catch (error) {
  logger.error({ err: redactor.redactString((error as Error).message) }, 'cannot load the run spec');
  process.exit(EXIT.config);
}
logger.info({ role: spec.run.role, feature: spec.feature.key, attempt: spec.run.attempt }, 'run started');
// The project's wall clock for this role replaces the environment's default from here on.
if (spec.limits) {
  clearTimeout(timeout);
  setTimeout(() => stop.abort('timeout'), spec.limits.wallClockMs).unref();
}

let anthropicApiKey = env.ANTHROPIC_API_KEY;
if (env.OMAKASE_MODEL_KEY_SOURCE === 'api') {
  try {
    const credentials = await withRetry(
      () => client.fetchCredentials(),
      () => startDeadline,
    );
    if (credentials.anthropicApiKey) {
      redactor.add(credentials.anthropicApiKey);
      anthropicApiKey = credentials.anthropicApiKey;
    }
  } catch (error) {
    logger.error({ err: redactor.redactString((error as Error).message) }, 'cannot load the run credentials');
    process.exit(EXIT.config);
  }
}

// Fail closed: without working isolation the agent is never started (it could read the token).
try {
  await mkdir(env.WORKSPACE_DIR, { recursive: true });
  await verifyIsolation(isolation);
} catch (error) {
  const message = redactor.redactString((error as Error).message);
  logger.error({ isolation: isolation.mode, err: message }, 'agent isolation unavailable');
  sink.emit('error', { kind: 'isolation_error', message });
  await sink.close(3_000);
  const failed: RunResult = {
    outcome: 'failed',
    exitReason: 'agent_error',
    output: null,
    usage: { tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0, byModel: {} },
    message,
  };
  const deadline = Date.now() + 10_000;
  await withRetry(
    () => client.postResult(failed),
    () => deadline,
  ).catch(() => logger.error('could not report the run result'));
  process.exit(EXIT.failed);
}

const environment: EnvironmentContext = {
  key: env.OMAKASE_ENV_KEY,
  entryDir: env.OMAKASE_ENV_ENTRY_DIR,
  stagingDir: env.OMAKASE_ENV_STAGING_DIR,
  setupEnv: env.OMAKASE_SETUP_ENV,
};
const common = {
  isolation,
  workspace: env.WORKSPACE_DIR,
  sink,
  redactor,
  signal: stop.signal,
  logger,
};
const result: RunResult = isAgentRunSpec(spec)
  ? await runAgent({
      ...common,
      spec,
      anthropic: { baseUrl: env.ANTHROPIC_BASE_URL, apiKey: anthropicApiKey },
    })
  : await runSetup({ ...common, spec, environment });
// The orchestrator takes the branch from this bundle (it never runs git in the workspace).
await exportBundle({
  workspace: env.WORKSPACE_DIR,
  branch: spec.workspace.branch,
  defaultBranch: spec.project.defaultBranch,
}).catch((error: Error) =>
  logger.warn({ err: redactor.redactString(error.message) }, 'exporting the branch bundle failed'),
);

const budget = stopping ? STOP_FLUSH_MS : 10_000;
const resultDeadline = Date.now() + budget;
await sink.close(budget * 0.6);
try {
  await withRetry(
    () => client.postResult(result),
    () => resultDeadline,
  );
} catch (error) {
  logger.error({ err: redactor.redactString((error as Error).message) }, 'could not report the run result');
}
logger.info(
  { outcome: result.outcome, exitReason: result.exitReason, costUsd: result.usage.costUsd },
  'run finished',
);
process.exit(EXIT[result.outcome]);
