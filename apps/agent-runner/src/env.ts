import { envVars, parseEnv } from '@omakase/config';
import { z } from 'zod';
import { AGENT_ISOLATION_MODES } from './agent-isolation';

/**
 * What the runner reads before its run's configuration exists (a warm task gets that from its
 * claim): how it reaches the network, and where its run comes from.
 */
export const runnerBootShape = {
  /**
   * Cloud runners: the egress proxy every request of this process is tunnelled through with
   * CONNECT (api-proxy.ts); unset (local runs) → direct.
   */
  OMAKASE_API_PROXY: z.url().optional(),
  /** A warm pool task: no run yet, it claims one from the API (warm.ts; the warm settings below). */
  OMAKASE_WARM: envVars.bool(false),
  /** The local driver writes the run's credentials to stdin (stdin-secrets.ts), never the environment. */
  OMAKASE_SECRETS_STDIN: envVars.bool(false),
  /** Inside the local sandbox: the egress proxy's unix socket; the bridge starts when set (egress-bridge.ts). */
  OMAKASE_EGRESS_SOCKET: z.string().min(1).optional(),
  /** `host:port` loopback services (comma-separated) the bridge mirrors inside the sandbox. */
  OMAKASE_EGRESS_FORWARD: envVars.list(),
  /** Loopback port of the bridge's pass-through proxy for remote destinations (the agent's HTTPS_PROXY). */
  OMAKASE_EGRESS_PROXY_PORT: z.coerce.number().int().min(1).max(65535).optional(),
};
export type RunnerBootEnv = ReturnType<typeof parseRunnerBootEnv>;

export const parseRunnerBootEnv = (env: Record<string, string | undefined> = process.env) =>
  parseEnv(runnerBootShape, env);

/** `OMAKASE_WARM`: the pool task's own settings, until it holds a run. */
export const warmEnvShape = {
  OMAKASE_API_URL: z.url(),
  OMAKASE_WARM_ID: z.string().regex(/^warm_[0-9a-z]{26}$/),
  /** The issuer's token endpoint (Auth0: https://<tenant>/oauth/token). */
  OMAKASE_TOKEN_URL: z.url(),
  OMAKASE_M2M_AUDIENCE: z.string().min(1).default('omakase-api'),
  /** The pool's per-org M2M client (`runs:claim`), injected by the warm task definition. */
  OMAKASE_M2M_CLIENT_ID: z.string().min(1),
  OMAKASE_M2M_CLIENT_SECRET: z.string().min(1),
  /** An unclaimed warm task exits after this long; the pool starts a fresh one. */
  OMAKASE_WARM_IDLE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
};
export type WarmEnv = ReturnType<typeof parseWarmEnv>;

export const parseWarmEnv = (env: Record<string, string | undefined> = process.env) =>
  parseEnv(warmEnvShape, env);

/** The run's configuration: the environment with the stdin secrets, or a warm task's claim, over it. */
export const runnerEnvShape = {
  OMAKASE_API_URL: z.url(),
  OMAKASE_RUN_TOKEN: z.string().min(16),
  OMAKASE_RUN_ID: z.string().regex(/^run_[0-9a-z]+$/, 'must be a run id (run_…)'),
  WORKSPACE_DIR: z.string().startsWith('/', 'must be an absolute path'),
  ANTHROPIC_BASE_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  /**
   * `api`: ask the platform for the run's model key with the run token (the org's own, or the
   * deployment's for an org the operator lists) and prefer it over ANTHROPIC_API_KEY (cloud
   * runners have none: no platform credential is in their task definition).
   */
  OMAKASE_MODEL_KEY_SOURCE: z.enum(['env', 'api']).default('env'),
  /** Hard wall-clock limit for the whole run. */
  OMAKASE_RUN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 60_000),
  /**
   * How the agent is kept away from this process's credentials (agent-isolation.ts). Required, so
   * a runner nobody configured fails closed: the local driver sets `sandbox` (or `none` when
   * it runs unsandboxed), the cloud image `user`.
   */
  OMAKASE_AGENT_ISOLATION: z.enum(AGENT_ISOLATION_MODES),
  /** `user` mode: the agent's uid/gid and the setuid setpriv only the runner's group may run. */
  OMAKASE_AGENT_UID: z.coerce.number().int().positive().default(10002),
  OMAKASE_AGENT_GID: z.coerce.number().int().positive().default(10002),
  OMAKASE_AGENT_HELPER: z.string().startsWith('/').default('/usr/local/libexec/omakase/agent-setpriv'),
  /** The project's environment key for this checkout (lockfiles + setup command), if it has one. */
  OMAKASE_ENV_KEY: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/, 'must be an environment key')
    .optional(),
  /** The cache entry for the key (read-only; may not exist yet). */
  OMAKASE_ENV_ENTRY_DIR: z.string().startsWith('/', 'must be an absolute path').optional(),
  /** Setup runs: where an installed environment is left for the platform to keep. */
  OMAKASE_ENV_STAGING_DIR: z.string().startsWith('/', 'must be an absolute path').optional(),
  /** Setup runs: the registries' configuration, as JSON of environment variables. */
  OMAKASE_SETUP_ENV: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
export type RunnerEnv = ReturnType<typeof parseRunnerEnv>;

export const parseRunnerEnv = (env: Record<string, string | undefined> = process.env) =>
  parseEnv(runnerEnvShape, env);
