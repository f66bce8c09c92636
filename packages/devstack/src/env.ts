/**
 * The `npm start` environment, parsed once. Absent optional settings select the local
 * stand-ins: embedded Postgres, the local issuer, the scripted model server.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envVars, parseEnv } from '@omakase/config';
import { z } from 'zod';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const shape = {
  OMAKASE_DATA_DIR: optional(z.string()),
  DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })),
  PORT: envVars.port(3000),
  ISSUER_PORT: envVars.port(4000),
  POSTGRES_PORT: envVars.port(5433),
  MODEL_SERVER_PORT: envVars.port(4010),
  AUTH0_DOMAIN: optional(z.string().min(1)),
  AUTH0_CLIENT_ID: optional(z.string().min(1)),
  AUTH0_CLIENT_SECRET: optional(z.string().min(1)),
  AUTH0_AUDIENCE: z.string().min(1).default('omakase-api'),
  AUTH0_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  RUN_TOKEN_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  /**
   * The orchestrator's M2M client in a real Auth0 tenant (granted `runs:mint`). Locally the
   * issuer gets a client with a generated secret; without either the orchestrator signs run
   * tokens with RUN_TOKEN_SECRET.
   */
  ORCHESTRATOR_M2M_CLIENT_ID: optional(z.string().min(1)),
  ORCHESTRATOR_M2M_CLIENT_SECRET: optional(z.string().min(1)),
  /** 32 bytes, base64: wraps each organisation's secrets data key. */
  OMAKASE_MASTER_KEY: optional(z.string().min(40)),
  ORCHESTRATOR_HEALTH_PORT: envVars.port(4020),
  ANTHROPIC_API_KEY: optional(z.string().min(1)),
  /** An Anthropic-compatible gateway for the agents (with ANTHROPIC_API_KEY; ignored in demo mode). */
  ANTHROPIC_BASE_URL: optional(z.url()),
  APP_BASE_URL: optional(z.url()),
};

export type StartEnv = z.infer<z.ZodObject<typeof shape>>;

export interface DevstackConfig extends StartEnv {
  dataDir: string;
  appBaseUrl: string;
  /** Real Auth0 tenant configured: the local issuer is not started. */
  externalAuth: boolean;
  /** No Anthropic key: the scripted model server plays the model. */
  demoMode: boolean;
  AUTH0_SECRET: string;
  RUN_TOKEN_SECRET: string;
  OMAKASE_MASTER_KEY: string;
  /** The local issuer's orchestrator client secret (generated once, like the other secrets). */
  LOCAL_ORCHESTRATOR_SECRET: string;
}

/** Throws `EnvError` naming the variable for a bad value. */
export function parseStartEnv(env: Record<string, string | undefined> = process.env): StartEnv {
  const parsed = parseEnv(shape, env);
  const auth0 = [parsed.AUTH0_DOMAIN, parsed.AUTH0_CLIENT_ID, parsed.AUTH0_CLIENT_SECRET];
  if (auth0.some(Boolean) && !auth0.every(Boolean)) {
    const missing = ['AUTH0_DOMAIN', 'AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET'].filter((_, i) => !auth0[i]);
    // Reuse parseEnv's error shape so the message names the variable.
    parseEnv({ [missing[0] as string]: z.string({ error: 'required when using a real Auth0 tenant' }) }, {});
  }
  if (Boolean(parsed.ORCHESTRATOR_M2M_CLIENT_ID) !== Boolean(parsed.ORCHESTRATOR_M2M_CLIENT_SECRET)) {
    const missing = parsed.ORCHESTRATOR_M2M_CLIENT_ID
      ? 'ORCHESTRATOR_M2M_CLIENT_SECRET'
      : 'ORCHESTRATOR_M2M_CLIENT_ID';
    parseEnv({ [missing]: z.string({ error: 'required with the other ORCHESTRATOR_M2M_ variable' }) }, {});
  }
  return parsed;
}

const SECRET_NAMES = [
  'AUTH0_SECRET',
  'RUN_TOKEN_SECRET',
  'OMAKASE_MASTER_KEY',
  'LOCAL_ORCHESTRATOR_SECRET',
] as const;
type Secrets = Record<(typeof SECRET_NAMES)[number], string>;
const StoredSecrets = z
  .object({
    AUTH0_SECRET: z.string().min(32),
    RUN_TOKEN_SECRET: z.string().min(32),
    OMAKASE_MASTER_KEY: z.string().min(40),
    LOCAL_ORCHESTRATOR_SECRET: z.string().min(32),
  })
  .partial();

/**
 * Secrets from the environment, else generated once (32 random bytes, hex) and kept in
 * `<data>/secrets.json`, so sessions and run tokens survive a restart.
 */
async function persistedSecrets(dataDir: string, env: StartEnv): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file) ? StoredSecrets.parse(JSON.parse(await readFile(file, 'utf8'))) : {};
  const missing = SECRET_NAMES.filter((name) => !stored[name]);
  for (const name of missing) {
    stored[name] = randomBytes(32).toString(name === 'OMAKASE_MASTER_KEY' ? 'base64' : 'hex');
  }
  if (missing.length > 0) await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
  const complete = stored as Secrets;
  return {
    AUTH0_SECRET: env.AUTH0_SECRET ?? complete.AUTH0_SECRET,
    RUN_TOKEN_SECRET: env.RUN_TOKEN_SECRET ?? complete.RUN_TOKEN_SECRET,
    OMAKASE_MASTER_KEY: env.OMAKASE_MASTER_KEY ?? complete.OMAKASE_MASTER_KEY,
    LOCAL_ORCHESTRATOR_SECRET: complete.LOCAL_ORCHESTRATOR_SECRET,
  };
}

export async function resolveConfig(env: StartEnv): Promise<DevstackConfig> {
  const dataDir = resolve(env.OMAKASE_DATA_DIR ?? join(REPO_ROOT, '.data'));
  await mkdir(dataDir, { recursive: true });
  return {
    ...env,
    dataDir,
    appBaseUrl: (env.APP_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    externalAuth: Boolean(env.AUTH0_DOMAIN),
    demoMode: !env.ANTHROPIC_API_KEY,
    ...(await persistedSecrets(dataDir, env)),
  };
}
