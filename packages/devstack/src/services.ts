/** The child processes of the local stack and the exact environment each one gets. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DevstackConfig } from './env';
import type { ServiceSpec } from './supervisor';

export interface StackEndpoints {
  databaseUrl: string;
  /** Issuer URL: the local issuer's, or the real tenant's AUTH0_DOMAIN. */
  auth0Domain: string;
  auth0ClientId: string;
  auth0ClientSecret: string;
  /** Ids of the seeded demo organisations: each may use local repositories under `<data>/repos/<orgId>/`
   * and, with a real key, the operator's credentials. */
  demoOrgIds?: readonly string[];
}

export const CLAIMS_NAMESPACE = 'https://omakase.dev';

/** The orchestrator's M2M client at the local issuer; its secret is generated per data dir. */
export const LOCAL_ORCHESTRATOR_CLIENT_ID = 'omakase-orchestrator';

/**
 * How the orchestrator gets run tokens: its M2M client asks the API (the local issuer's client,
 * or the one configured for a real tenant); with a real tenant and no client configured, it
 * signs them with RUN_TOKEN_SECRET like the web.
 */
function orchestratorTokenEnv(config: DevstackConfig, endpoints: StackEndpoints): Record<string, string> {
  const issuer = /^https?:\/\//.test(endpoints.auth0Domain)
    ? endpoints.auth0Domain
    : `https://${endpoints.auth0Domain}`;
  const client = config.externalAuth
    ? config.ORCHESTRATOR_M2M_CLIENT_ID && config.ORCHESTRATOR_M2M_CLIENT_SECRET
      ? { id: config.ORCHESTRATOR_M2M_CLIENT_ID, secret: config.ORCHESTRATOR_M2M_CLIENT_SECRET }
      : null
    : { id: LOCAL_ORCHESTRATOR_CLIENT_ID, secret: config.LOCAL_ORCHESTRATOR_SECRET };
  if (!client) return { RUN_TOKEN_SECRET: config.RUN_TOKEN_SECRET };
  return {
    ORCHESTRATOR_M2M_CLIENT_ID: client.id,
    ORCHESTRATOR_M2M_CLIENT_SECRET: client.secret,
    M2M_TOKEN_URL: `${issuer.replace(/\/+$/, '')}/oauth/token`,
    M2M_AUDIENCE: config.AUTH0_AUDIENCE,
  };
}

/**
 * What every Node child needs to run at all, passed through from the host by name (not
 * configuration, so not in env.ts); nothing else of the parent's environment leaks.
 */
export function baseEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  const env: Record<string, string> = { NODE_ENV: 'production', FORCE_COLOR: '1' };
  for (const key of keep) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

/**
 * The services' own settings (the README's configuration table) that a developer may set in
 * `npm start`'s environment: passed through by name when set, under what the stack sets itself.
 * Each name is one of its service's parsed variables (a test checks them against the shapes).
 */
export const SERVICE_SETTINGS = {
  web: [
    'LOG_LEVEL',
    'OMAKASE_LOG_FILE',
    'API_MAX_BODY_BYTES',
    'API_RATE_LIMIT_PER_MINUTE',
    'ORG_MAX_CONCURRENT_AGENTS',
    'OMAKASE_ALLOW_SSH_REPOSITORIES',
    'TRUSTED_PROXIES',
    'STREAM_MAX_PER_USER',
    'STREAM_MAX_LIFETIME_MS',
    'STREAM_REAUTHORIZE_MS',
    'RUN_EVENTS_PER_SECOND',
    'RUN_EVENTS_BURST',
    'RUN_EVENT_BATCH_MAX',
    'RUN_EVENT_BATCH_MAX_BYTES',
    'RUN_EVENT_MAX_BYTES',
    'RUN_EVENTS_MAX_PER_RUN',
    'RUN_EVENT_BYTES_MAX_PER_RUN',
    'AUTH0_MANAGEMENT_CLIENT_ID',
    'AUTH0_MANAGEMENT_CLIENT_SECRET',
    'AUTH0_MANAGEMENT_DOMAIN',
    'AUTH0_ROLE_IDS',
  ],
  orchestrator: [
    'LOG_LEVEL',
    'ORG_MAX_CONCURRENT_AGENTS',
    'COMPUTE_SANDBOX',
    'OMAKASE_ALLOW_SSH_REPOSITORIES',
    'LEASE_MS',
    'GITHUB_TOKEN',
    'GITHUB_API_URL',
    'LINEAR_API_URL',
    'LINEAR_OAUTH_URL',
    'LINEAR_CLIENT_ID',
    'LINEAR_CLIENT_SECRET',
  ],
} as const;

function settingsFrom(host: Record<string, string | undefined>, names: readonly string[]) {
  const settings: Record<string, string> = {};
  for (const name of names) {
    const value = host[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  return settings;
}

/** Each demo org's own copy of the demo repository: a local repository is allowed only in its org's directory. */
export function demoRepoPath(config: Pick<DevstackConfig, 'dataDir'>, orgId: string): string {
  return join(config.dataDir, 'repos', orgId, 'demo-shop');
}

/** Only the seeded demo orgs may keep repositories on this machine (web checks on save, orchestrator on clone). */
function localRepositoryEnv(config: DevstackConfig, endpoints: StackEndpoints): Record<string, string> {
  return {
    OMAKASE_DATA_DIR: config.dataDir,
    OMAKASE_LOCAL_REPOSITORY_ORGS: (endpoints.demoOrgIds ?? []).join(','),
  };
}

export function webBuildEnv(): Record<string, string> {
  return { ...baseEnv(), NEXT_TELEMETRY_DISABLED: '1' };
}

export function serviceSpecs(
  repoRoot: string,
  config: DevstackConfig,
  endpoints: StackEndpoints,
  host: Record<string, string | undefined> = process.env,
): ServiceSpec[] {
  const node = process.execPath;
  // tsx as a loader in the service's own process: the tsx CLI's extra parent process relays
  // signals with a 30 ms deadline and SIGKILLs a child that is slow to acknowledge.
  const tsx = ['--import', 'tsx'];
  const modelServerUrl = `http://127.0.0.1:${config.MODEL_SERVER_PORT}`;
  const specs: ServiceSpec[] = [
    {
      name: 'web',
      command: node,
      args: [join(repoRoot, 'node_modules/next/dist/bin/next'), 'start', '-p', String(config.PORT)],
      cwd: join(repoRoot, 'apps/web'),
      env: {
        ...webBuildEnv(),
        ...settingsFrom(host, SERVICE_SETTINGS.web),
        PORT: String(config.PORT),
        DATABASE_URL: endpoints.databaseUrl,
        APP_BASE_URL: config.appBaseUrl,
        AUTH0_DOMAIN: endpoints.auth0Domain,
        AUTH0_CLIENT_ID: endpoints.auth0ClientId,
        AUTH0_CLIENT_SECRET: endpoints.auth0ClientSecret,
        AUTH0_SECRET: config.AUTH0_SECRET,
        OMAKASE_MASTER_KEY: config.OMAKASE_MASTER_KEY,
        AUTH0_AUDIENCE: config.AUTH0_AUDIENCE,
        OMAKASE_CLAIMS_NAMESPACE: CLAIMS_NAMESPACE,
        // Plain-http issuer discovery is allowed for the local issuer only.
        AUTH0_ISSUER_INSECURE: config.externalAuth ? 'false' : 'true',
        // The key run tokens are signed with: the web issues them and verifies them.
        RUN_TOKEN_SECRET: config.RUN_TOKEN_SECRET,
        OMAKASE_DEMO_MODE: config.demoMode ? 'true' : 'false',
        ...localRepositoryEnv(config, endpoints),
      },
    },
  ];
  const orchestrator = join(repoRoot, 'apps/orchestrator/src/main.ts');
  if (existsSync(orchestrator)) {
    specs.push({
      name: 'orchestrator',
      command: node,
      args: [...tsx, orchestrator],
      cwd: repoRoot,
      env: {
        ...baseEnv(),
        ...settingsFrom(host, SERVICE_SETTINGS.orchestrator),
        DATABASE_URL: endpoints.databaseUrl,
        OMAKASE_API_URL: config.appBaseUrl,
        ...orchestratorTokenEnv(config, endpoints),
        // Linear sync opens the tokens the web app sealed with this key.
        OMAKASE_MASTER_KEY: config.OMAKASE_MASTER_KEY,
        HEALTH_PORT: String(config.ORCHESTRATOR_HEALTH_PORT),
        ...localRepositoryEnv(config, endpoints),
        // Demo mode: no key at all (the scripted server plays the model; runners get a placeholder).
        // With a real key, the seeded demo orgs may use it as before; any other org saves its own.
        ...(config.ANTHROPIC_API_KEY
          ? {
              ANTHROPIC_API_KEY: config.ANTHROPIC_API_KEY,
              OMAKASE_FALLBACK_CREDENTIAL_ORGS: (endpoints.demoOrgIds ?? []).join(','),
            }
          : {}),
        // The model endpoint reaches every runner and is the one model destination egress allows.
        ...(config.demoMode
          ? { ANTHROPIC_BASE_URL: modelServerUrl }
          : config.ANTHROPIC_BASE_URL
            ? { ANTHROPIC_BASE_URL: config.ANTHROPIC_BASE_URL }
            : {}),
      },
    });
  }
  const modelServer = join(repoRoot, 'packages/model-server/src/main.ts');
  if (config.demoMode && existsSync(modelServer)) {
    specs.push({
      name: 'model-server',
      command: node,
      args: [...tsx, modelServer],
      cwd: repoRoot,
      env: { ...baseEnv(), PORT: String(config.MODEL_SERVER_PORT) },
    });
  }
  return specs;
}
