/**
 * A real platform for end-to-end pipeline tests: Postgres, the web API (`next start`), the
 * scripted model server, the demo repository and an in-process orchestrator running agents
 * through the real runner and Claude Agent SDK in local sandboxed processes.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { createDemoRepository, DEMO_COMMAND_ALLOWLIST } from '@omakase/demo-repo';
import type { Feature, Project, TenantStore } from '@omakase/domain';
import { type ModelServer, startModelServer } from '@omakase/model-server';
import pino from 'pino';
import { ensureBuilt, freePort, type RunningApp, startNext } from '../../web/test/support/next-app';
import { LocalProcessDriver } from '../src/compute/local-process-driver';
import { localRunnerCommand } from '../src/compute/runner-command';
import type { ComputeDriver } from '../src/compute/types';
import { gitWorkspaces } from '../src/git/publish';
import { createCheckRemote } from '../src/git/remote-policy';
import { type OrchestratorOptions, type RunningOrchestrator, startOrchestrator } from '../src/orchestrator';
import { localRunTokens } from '../src/run-tokens';

export interface Stack {
  dataDir: string;
  databaseUrl: string;
  runTokenSecret: string;
  repoDir: string;
  storage: PostgresStorage;
  store: TenantStore;
  project: Project;
  web: RunningApp;
  model: ModelServer;
  orchestrators: RunningOrchestrator[];
  /** `driver` replaces the default local sandboxed driver (e.g. the ECS driver against a fake). */
  startOrchestrator(
    id: string,
    driver?: ComputeDriver,
    extra?: Partial<OrchestratorOptions>,
  ): Promise<RunningOrchestrator>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Overrides for the web's environment (e.g. AUTH0_DOMAIN of a local issuer). */
  webEnv?: Record<string, string>;
  /** The org's Auth0 id (`org_id` claim), for tests that mint M2M tokens for it. */
  orgExternalId?: string;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'omakase-e2e-'));
  const db: TestDatabase = await createTestDatabase();
  const storage = createStorage(db.url);
  const org = await storage.organizations.create({
    name: 'E2E',
    externalId: opts.orgExternalId ?? `org_${db.name}`,
  });
  // The org's own local repository, allowed by name the way OMAKASE_LOCAL_REPOSITORY_ORGS does.
  const repoDir = join(dataDir, 'repos', org.id, 'demo-shop');
  await createDemoRepository(repoDir);
  const checkRemote = createCheckRemote({
    localRepositories: { root: join(dataDir, 'repos'), orgs: [org.id] },
  });
  const store = storage.forOrg(org.id);
  const project = await store.projects.create({
    name: 'demo-shop',
    keyPrefix: 'DEMO',
    repositoryUrl: `file://${repoDir}`,
    settings: {
      maxConcurrentAgents: 2,
      budgetPerFeatureUsd: 5,
      commandAllowlist: [...DEMO_COMMAND_ALLOWLIST],
    },
  });
  const runTokenSecret = randomBytes(32).toString('hex');
  const model = await startModelServer({ port: 0 });
  await ensureBuilt();
  const web = await startNext(await freePort(), {
    DATABASE_URL: db.url,
    RUN_TOKEN_SECRET: runTokenSecret,
    AUTH0_DOMAIN: 'http://localhost:1',
    AUTH0_ISSUER_INSECURE: 'true',
    AUTH0_CLIENT_ID: 'unused',
    AUTH0_CLIENT_SECRET: 'unused',
    AUTH0_SECRET: randomBytes(32).toString('hex'),
    APP_BASE_URL: 'http://localhost:3000',
    ...opts.webEnv,
  });
  const logger = pino({ level: process.env.E2E_LOG_LEVEL ?? 'warn' });
  const orchestrators: RunningOrchestrator[] = [];

  const start = async (id: string, custom?: ComputeDriver, extra: Partial<OrchestratorOptions> = {}) => {
    const driver =
      custom ??
      new LocalProcessDriver({
        runnerCommand: localRunnerCommand(),
        hiddenDirs: [dataDir],
        sandbox: 'auto',
        stopGraceMs: 2000,
        logger,
      });
    const orchestrator = await startOrchestrator({
      storage,
      driver,
      workerId: id,
      leaseMs: 3000,
      apiUrl: web.url,
      runTokens: localRunTokens(runTokenSecret),
      workspacesDir: join(dataDir, 'workspaces'),
      workspaces: gitWorkspaces(join(dataDir, 'workspaces'), { checkRemote }),
      orgMaxConcurrentAgents: 10,
      model: { baseUrl: model.url, apiKey: 'scripted' },
      logger,
      ...extra,
    });
    orchestrators.push(orchestrator);
    return orchestrator;
  };

  return {
    dataDir,
    databaseUrl: db.url,
    runTokenSecret,
    repoDir,
    storage,
    store,
    project,
    web,
    model,
    orchestrators,
    startOrchestrator: start,
    async close() {
      for (const orchestrator of orchestrators) await orchestrator.stop();
      await web.stop();
      await model.stop();
      await storage.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `check` holds, re-checking on every change the database announces. */
export async function waitFor<T>(
  storage: PostgresStorage,
  check: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 150_000,
): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    let settled = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const finish = (error: Error | null, value?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void unsubscribe?.();
      error ? reject(error) : resolvePromise(value as T);
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const probe = () =>
      check().then(
        (value) => value && finish(null, value),
        (error) => finish(error),
      );
    void storage.changes
      .subscribe(() => void probe())
      .then((u) => {
        unsubscribe = u;
        if (settled) void u();
        void probe();
      });
  });
}

export async function featureIn(store: TenantStore, feature: Feature, statuses: Feature['status'][]) {
  const current = await store.features.get(feature.id);
  return current && statuses.includes(current.status) ? current : null;
}

/** Where a pipeline rests: finished, failed, or waiting for a person. */
export const SETTLED: Feature['status'][] = ['done', 'failed', 'needs_input'];

/** Waits until the feature's pipeline settles (see SETTLED) and returns the feature then. */
export function waitUntilSettled(storage: PostgresStorage, store: TenantStore, feature: Feature) {
  return waitFor(storage, () => featureIn(store, feature, SETTLED), `${feature.key} to settle`);
}
