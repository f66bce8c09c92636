import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { EnvError, envVars, parseEnv } from '@omakase/config';
import { z } from 'zod';

export const orchestratorEnvShape = {
  DATABASE_URL: z.url(),
  /** Base URL of the platform API that runners report to. */
  OMAKASE_API_URL: z.url().default('http://localhost:3000'),
  /**
   * The orchestrator's own M2M client (client-credentials grant at M2M_TOKEN_URL), granted
   * `runs:mint`: it asks the API for each run's token, so only the web holds the signing key.
   */
  ORCHESTRATOR_M2M_CLIENT_ID: z.string().min(1).optional(),
  ORCHESTRATOR_M2M_CLIENT_SECRET: z.string().min(1).optional(),
  /** The issuer's token endpoint (Auth0: https://<tenant>/oauth/token). */
  M2M_TOKEN_URL: z.url().optional(),
  /** The API's identifier in Auth0, for the orchestrator's and warm runners' tokens. */
  M2M_AUDIENCE: z.string().min(1).default('omakase-api'),
  /** Single-host alternative to the M2M client: sign run tokens with the web's own key. */
  RUN_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ORCHESTRATOR_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  COMPUTE_DRIVER: z.enum(['local', 'ecs']).default('local'),
  /**
   * Local runs: `auto` sandboxes with bubblewrap and refuses to start without it when agents use a
   * real model key (demo mode warns and goes on); `on`/`required` always need it; `off` accepts
   * unsandboxed agents explicitly (compute/sandbox-policy.ts).
   */
  COMPUTE_SANDBOX: z.enum(['auto', 'on', 'required', 'off']).default('auto'),
  OMAKASE_DATA_DIR: z.string().default(resolve('.data')),
  /**
   * Org ids (comma-separated) whose projects may use local file:// repositories, each only inside
   * `<OMAKASE_DATA_DIR>/repos/<orgId>/` (the local demo); unset → none.
   */
  OMAKASE_LOCAL_REPOSITORY_ORGS: envVars.list(),
  /** ssh:// and git@host:path remotes (they authenticate with this host's ssh identity). */
  OMAKASE_ALLOW_SSH_REPOSITORIES: envVars.bool(false),
  ORG_MAX_CONCURRENT_AGENTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long a claimed item stays ours without a heartbeat. */
  LEASE_MS: z.coerce.number().int().min(1000).default(15_000),
  HEALTH_PORT: envVars.port(4020),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** The deployment's GitHub token, for the orgs in OMAKASE_FALLBACK_CREDENTIAL_ORGS only. */
  GITHUB_TOKEN: z.string().min(1).optional(),
  /**
   * Org ids (comma-separated) that may use the deployment's ANTHROPIC_API_KEY and GITHUB_TOKEN
   * when they saved none; unset → no org may (each saves its own in Settings → Secrets).
   */
  OMAKASE_FALLBACK_CREDENTIAL_ORGS: envVars.list(),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  /** Linear sync runs when set: it opens the sealed Linear tokens (same key as the web app). */
  OMAKASE_MASTER_KEY: z.string().min(40).optional(),
  LINEAR_API_URL: z.url().default('https://api.linear.app/graphql'),
  /** OAuth app (token refresh); API-key connections need none of it. */
  LINEAR_CLIENT_ID: z.string().min(1).optional(),
  LINEAR_CLIENT_SECRET: z.string().min(1).optional(),
  LINEAR_OAUTH_URL: z.url().default('https://api.linear.app'),
  /**
   * Warm runner pools, per org: `org_a=2,org_b=1` (empty = none; needs COMPUTE_DRIVER=ecs). An
   * operator setting, because each pooled org needs its own M2M client and warm task definition.
   */
  WARM_POOL_SIZES: z.string().default(''),
  /** Token endpoint as warm tasks reach it, when not M2M_TOKEN_URL. */
  WARM_TOKEN_URL: z.url().optional(),
};

const list = z
  .string()
  .min(1)
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** `COMPUTE_DRIVER=ecs` only (compute/select-driver.ts): parsed, and required, just then. */
export const ecsEnvShape = {
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Only for tests and local fakes; unset in AWS. */
  ECS_ENDPOINT: z.url().optional(),
  ECS_CLUSTER: z.string().min(1),
  /** Per-org runner families, `{org}` = the run's org id (a shared definition is refused). */
  ECS_TASK_DEFINITION: z.string().min(1),
  ECS_CONTAINER_NAME: z.string().min(1).default('runner'),
  ECS_SUBNETS: list,
  ECS_SECURITY_GROUPS: list,
  ECS_ASSIGN_PUBLIC_IP: envVars.bool(false),
  /** More spec secrets a runner task definition injects itself (never sent in overrides). */
  ECS_TASK_DEFINITION_SECRETS: list.optional(),
  ECS_SPOT_FOR_NON_URGENT: envVars.bool(true),
  ECS_RUNTASK_RATE: z.coerce.number().positive().max(100).default(20),
  ECS_RUNTASK_BURST: z.coerce.number().int().min(1).max(100).default(100),
  ECS_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(2000),
  /** Warm pool task definition per org (`{org}` = org id); it injects that org's M2M client. */
  ECS_WARM_TASK_DEFINITION: z.string().min(1).optional(),
};

export type EcsEnv = z.infer<z.ZodObject<typeof ecsEnvShape>>;

const M2M_VARIABLES = [
  'ORCHESTRATOR_M2M_CLIENT_ID',
  'ORCHESTRATOR_M2M_CLIENT_SECRET',
  'M2M_TOKEN_URL',
] as const;

/**
 * How run tokens are obtained: the M2M client when it is configured (all three variables), else
 * RUN_TOKEN_SECRET. Half an M2M configuration, or neither, is an error naming the variable.
 */
export function runTokenConfig(env: z.infer<z.ZodObject<typeof orchestratorEnvShape>>) {
  const missing = M2M_VARIABLES.filter((name) => !env[name]);
  if (missing.length === 0) {
    return {
      mode: 'api' as const,
      tokenUrl: env.M2M_TOKEN_URL!,
      audience: env.M2M_AUDIENCE,
      clientId: env.ORCHESTRATOR_M2M_CLIENT_ID!,
      clientSecret: env.ORCHESTRATOR_M2M_CLIENT_SECRET!,
    };
  }
  if (missing.length < M2M_VARIABLES.length) {
    throw new EnvError([
      {
        variable: missing[0]!,
        message: `required with ${M2M_VARIABLES.filter((n) => env[n]).join(' and ')}`,
      },
    ]);
  }
  if (env.RUN_TOKEN_SECRET) return { mode: 'local' as const, secret: env.RUN_TOKEN_SECRET };
  throw new EnvError([
    {
      variable: 'ORCHESTRATOR_M2M_CLIENT_ID',
      message: `set it with ORCHESTRATOR_M2M_CLIENT_SECRET and M2M_TOKEN_URL (or RUN_TOKEN_SECRET on a single host)`,
    },
  ]);
}

/**
 * The whole environment with the ECS settings (for `COMPUTE_DRIVER=ecs`) and the run-token
 * configuration; throws an `EnvError` naming the offending variables.
 */
export function parseOrchestratorEnv(raw: Record<string, string | undefined> = process.env) {
  const env = parseEnv(orchestratorEnvShape, raw);
  const ecs = env.COMPUTE_DRIVER === 'ecs' ? parseEnv(ecsEnvShape, raw) : undefined;
  return { ...env, ecs, runTokens: runTokenConfig(env) };
}

export type OrchestratorEnv = ReturnType<typeof parseOrchestratorEnv>;

/** `parseOrchestratorEnv` for the entry point: prints the offending variable and exits. */
export function loadOrchestratorEnv(): OrchestratorEnv {
  try {
    return parseOrchestratorEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`[orchestrator] ${error.message}`);
    process.exit(78); // EX_CONFIG
  }
}
