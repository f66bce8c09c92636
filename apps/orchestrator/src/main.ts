/** The orchestrator service: one per deployment (or several — they share work through leases). */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { clientCredentialsToken } from '@omakase/auth';
import { createSecurityStorage, createStorage, createWarmPoolStore } from '@omakase/db';
import type { OrgId } from '@omakase/domain';
import { createEnvelope, createOrgSecretReader, localKeyProvider } from '@omakase/secrets';
import pino from 'pino';
import { SANDBOX_REFUSED_EXIT, SandboxRefused } from './compute/sandbox-policy';
import { selectDriver } from './compute/select-driver';
import { parsePoolSizes, WarmPool } from './compute/warm-pool';
import { loadOrchestratorEnv } from './env';
import { gitWorkspaces } from './git/publish';
import { createCheckRemote, remotePolicyFromEnv } from './git/remote-policy';
import { linearWorkerFromEnv } from './linear/from-env';
import { startOrchestrator } from './orchestrator';
import { orgCredentials } from './org-credentials';
import { apiRunTokens, localRunTokens } from './run-tokens';

const env = loadOrchestratorEnv();
const logger = pino({ name: 'orchestrator', level: env.LOG_LEVEL });

let driver: ReturnType<typeof selectDriver>;
try {
  driver = selectDriver(env, logger);
} catch (error) {
  if (!(error instanceof SandboxRefused)) throw error;
  console.error(`[orchestrator] ${error.message}`);
  process.exit(SANDBOX_REFUSED_EXIT);
}
const storage = createStorage(env.DATABASE_URL, { logger });
const workspacesDir = join(env.OMAKASE_DATA_DIR, 'workspaces');
// The orgs' saved credentials (same master key as the web app); the environment's are the
// fallback for the listed orgs only.
const security = env.OMAKASE_MASTER_KEY ? createSecurityStorage(storage.database) : null;
const credentials = orgCredentials({
  reader: security
    ? createOrgSecretReader(
        createEnvelope(localKeyProvider(env.OMAKASE_MASTER_KEY!)),
        (orgId) => security.forOrg(orgId as OrgId).secrets,
      )
    : undefined,
  fallback: { anthropicApiKey: env.ANTHROPIC_API_KEY, githubToken: env.GITHUB_TOKEN },
  fallbackOrgs: new Set(env.OMAKASE_FALLBACK_CREDENTIAL_ORGS),
  githubApiUrl: env.GITHUB_API_URL,
});

const runTokens =
  env.runTokens.mode === 'api'
    ? apiRunTokens({ apiUrl: env.OMAKASE_API_URL, machineToken: clientCredentialsToken(env.runTokens) })
    : localRunTokens(env.runTokens.secret);
logger.info({ runTokens: runTokens.mode }, 'run tokens configured');

const linear = linearWorkerFromEnv(env, storage, logger);

const poolSizes = parsePoolSizes(env.WARM_POOL_SIZES);
const warmStore = poolSizes.size > 0 ? createWarmPoolStore(storage.database) : null;
const warmTokenUrl = env.WARM_TOKEN_URL ?? env.M2M_TOKEN_URL;
if (warmStore && !warmTokenUrl) throw new Error('WARM_POOL_SIZES needs M2M_TOKEN_URL (or WARM_TOKEN_URL)');
const warmPool = warmStore
  ? new WarmPool({
      store: warmStore,
      driver,
      sizes: poolSizes,
      ownerId: env.ORCHESTRATOR_ID,
      env: {
        OMAKASE_API_URL: env.OMAKASE_API_URL,
        OMAKASE_TOKEN_URL: warmTokenUrl!,
        OMAKASE_M2M_AUDIENCE: env.M2M_AUDIENCE,
        ...(env.ANTHROPIC_BASE_URL ? { ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL } : {}),
      },
      logger,
    })
  : undefined;

const orchestrator = await startOrchestrator({
  storage,
  driver,
  workerId: env.ORCHESTRATOR_ID,
  leaseMs: env.LEASE_MS,
  apiUrl: env.OMAKASE_API_URL,
  runTokens,
  workspacesDir,
  workspaces: gitWorkspaces(workspacesDir, {
    githubFor: (orgId) => credentials.github(orgId),
    // The saved URL is checked again before every fetch and push: DNS may have changed since.
    checkRemote: createCheckRemote(remotePolicyFromEnv(env)),
  }),
  orgMaxConcurrentAgents: env.ORG_MAX_CONCURRENT_AGENTS,
  model: { baseUrl: env.ANTHROPIC_BASE_URL, apiKey: env.ANTHROPIC_API_KEY },
  credentials,
  logger,
  linear: linear?.worker,
  warmPool,
});

const health = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ok: true, hosted: orchestrator.handlers.hosted.size }));
}).listen(env.HEALTH_PORT, '127.0.0.1');

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  health.close();
  await orchestrator.stop();
  await linear?.close();
  await warmStore?.close();
  await security?.close();
  await storage.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
