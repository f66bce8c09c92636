import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { envVars, loadEnvOrExit } from '@omakase/config';
import { z } from 'zod';

export const orchestratorEnvShape = {
  DATABASE_URL: z.url(),
  /** Base URL of the platform API that runners report to. */
  OMAKASE_API_URL: z.url().default('http://localhost:3000'),
  RUN_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ORCHESTRATOR_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  COMPUTE_DRIVER: z.enum(['local', 'ecs']).default('local'),
  COMPUTE_SANDBOX: z.enum(['auto', 'required', 'off']).default('auto'),
  OMAKASE_DATA_DIR: z.string().default(resolve('.data')),
  ORG_MAX_CONCURRENT_AGENTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long a claimed item stays ours without a heartbeat. */
  LEASE_MS: z.coerce.number().int().min(1000).default(15_000),
  HEALTH_PORT: envVars.port(4020),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** Fallback GitHub token for orgs that saved none (theirs comes from the secrets API). */
  GITHUB_TOKEN: z.string().min(1).optional(),
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
  /** Token endpoint warm tasks get their M2M token from (Auth0: https://<tenant>/oauth/token). */
  WARM_TOKEN_URL: z.url().optional(),
  WARM_M2M_AUDIENCE: z.string().min(1).default('omakase-api'),
};

export type OrchestratorEnv = ReturnType<typeof loadOrchestratorEnv>;

export function loadOrchestratorEnv() {
  return loadEnvOrExit(orchestratorEnvShape, 'orchestrator');
}
