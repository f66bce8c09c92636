/**
 * Feature ready → agent process started, through the real path: the start transaction commits
 * (architect run + launch item), NOTIFY wakes the orchestrator, it claims the item, clones the
 * feature's workspace, gets the run token and the LocalProcessDriver spawns the sandboxed
 * process. The process is a stand-in (`sleep`), so the runner's own boot time is not counted.
 * `runTokens: 'api'` is the deployed path: the token comes from the web API (`next start`) with
 * the orchestrator's M2M token from the local issuer; `'local'` signs it in process.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientCredentialsToken, RUN_MINT_PERMISSION } from '@omakase/auth';
import { createStorage } from '@omakase/db';
import { startLocalIssuer } from '@omakase/devstack/issuer';
import { startFeature, stopFeature } from '@omakase/engine';
import { ensureBuilt, freePort, startNext } from '../../web/test/support/next-app';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import type { ComputeDriver, ComputeSpec } from '../src/compute/types';
import { startOrchestrator } from '../src/orchestrator';
import { apiRunTokens, localRunTokens, type RunTokenSource } from '../src/run-tokens';
import { mean, percentile, quietLogger, withDatabase } from './support';

export interface ReadyToStartResult {
  runTokens: 'api' | 'local';
  starts: number;
  sandboxed: boolean;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

function bareRepo(dir: string): string {
  const source = join(dir, 'src');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args]);
  git('init', '-q', '-b', 'main', source);
  execFileSync('sh', ['-c', `echo '# bench' > ${source}/README.md`]);
  git('-C', source, 'add', '.');
  git('-C', source, 'commit', '-q', '-m', 'initial');
  git('clone', '-q', '--bare', source, join(dir, 'remote.git'));
  return join(dir, 'remote.git');
}

const ORCHESTRATOR = { clientId: 'bench-orchestrator', clientSecret: 'bench-orchestrator-secret' };

/** The web API and an issuer holding the orchestrator's M2M client; `stop` ends both. */
async function apiTokenSource(
  databaseUrl: string,
): Promise<{ source: RunTokenSource; stop(): Promise<void> }> {
  const issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: ['http://localhost:3000'],
    machineClients: [{ ...ORCHESTRATOR, permissions: [RUN_MINT_PERMISSION] }],
  });
  await ensureBuilt();
  const web = await startNext(await freePort(), {
    DATABASE_URL: databaseUrl,
    RUN_TOKEN_SECRET: randomBytes(32).toString('hex'),
    AUTH0_DOMAIN: issuer.url,
    AUTH0_ISSUER_INSECURE: 'true',
    AUTH0_CLIENT_ID: 'unused',
    AUTH0_CLIENT_SECRET: 'unused',
    AUTH0_SECRET: randomBytes(32).toString('hex'),
    APP_BASE_URL: 'http://localhost:3000',
  });
  const machineToken = clientCredentialsToken({
    tokenUrl: `${issuer.url}/oauth/token`,
    audience: 'omakase-api',
    ...ORCHESTRATOR,
  });
  return {
    source: apiRunTokens({ apiUrl: web.url, machineToken }),
    async stop() {
      await web.stop();
      await issuer.stop();
    },
  };
}

export async function benchReadyToStart(
  opts: { starts?: number; runTokens?: 'api' | 'local' } = {},
): Promise<ReadyToStartResult> {
  const { starts = 30, runTokens = 'api' } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'omakase-bench-start-'));
  await writeFile(join(dir, '.keep'), '');
  try {
    return await withDatabase(async (url) => {
      const storage = createStorage(url);
      const org = await storage.organizations.create({
        name: 'b',
        externalId: `org_${randomBytes(6).toString('hex')}`,
      });
      const store = storage.forOrg(org.id);
      const project = await store.projects.create({
        name: 'bench',
        keyPrefix: 'BEN',
        repositoryUrl: `file://${bareRepo(dir)}`,
        settings: { maxConcurrentAgents: 5, budgetPerFeatureUsd: 5, commandAllowlist: [] },
      });
      const local = new LocalProcessDriver({
        runnerCommand: ['/bin/sleep', '60'],
        hiddenDirs: [join(dir, 'data')],
        sandbox: 'auto',
        stopGraceMs: 500,
        logger: quietLogger(),
      });
      const spawned = new Map<string, (at: number) => void>();
      const driver: ComputeDriver = Object.assign(Object.create(local) as ComputeDriver, {
        start: async (spec: ComputeSpec) => {
          const handle = await local.start(spec);
          spawned.get(spec.featureId)?.(performance.now());
          return handle;
        },
      });
      const api = runTokens === 'api' ? await apiTokenSource(url) : null;
      const orchestrator = await startOrchestrator({
        storage,
        driver,
        workerId: 'bench-start',
        leaseMs: 30_000,
        apiUrl: 'http://127.0.0.1:9',
        runTokens: api?.source ?? localRunTokens(randomBytes(32).toString('hex')),
        workspacesDir: join(dir, 'data', 'workspaces'),
        orgMaxConcurrentAgents: 10,
        model: {},
        logger: quietLogger(),
      });
      const samples: number[] = [];
      try {
        // Start 0 is a warm-up, not counted: the first M2M token and the API's first JWKS fetch.
        for (let i = 0; i <= starts; i++) {
          const feature = await store.features.create(project.id, { title: `Start ${i}` });
          const started = new Promise<number>((resolve) => spawned.set(feature.id, resolve));
          const readyAt = performance.now();
          await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });
          const startedAt = await started;
          if (i > 0) samples.push(startedAt - readyAt);
          await stopFeature(store, feature.id);
        }
      } finally {
        await orchestrator.stop();
        await api?.stop();
        await storage.close();
      }
      return {
        runTokens,
        starts,
        sandboxed: local.sandboxed,
        p50Ms: percentile(samples, 50),
        p95Ms: percentile(samples, 95),
        meanMs: mean(samples),
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
