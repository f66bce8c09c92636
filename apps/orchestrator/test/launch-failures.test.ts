import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { TenantStore } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scriptedDriver } from '../bench/scripted-agents';
import { gitWorkspaces } from '../src/git/publish';
import { type RunningOrchestrator, startOrchestrator } from '../src/orchestrator';
import { featureIn, waitFor } from './stack';
import { testOrchestratorDefaults } from './support-orchestrator';

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let store: TenantStore;
let blackHole: Server;
const held: Socket[] = [];
let connections = 0;
let orchestrator: RunningOrchestrator;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-launch-failures-'));
  blackHole = createServer((socket) => {
    connections++;
    held.push(socket); // accepted, never answered
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  db = await createTestDatabase();
  storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'Black hole', externalId: `org_${db.name}` });
  store = storage.forOrg(org.id);
  orchestrator = await startOrchestrator({
    ...testOrchestratorDefaults(dir),
    storage,
    driver: scriptedDriver(storage),
    workspaces: gitWorkspaces(join(dir, 'workspaces'), { networkTimeoutMs: 400 }),
    maxLaunchAttempts: 2,
    workerId: 'orch-black-hole',
  });
});

afterAll(async () => {
  await orchestrator?.stop();
  for (const socket of held) socket.destroy();
  blackHole?.close();
  await storage?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

it('a repository host that never answers fails the run after bounded launch attempts, then the feature', async () => {
  const port = (blackHole.address() as { port: number }).port;
  const project = await store.projects.create({
    name: 'void',
    keyPrefix: 'VOID',
    repositoryUrl: `https://127.0.0.1:${port}/acme/void.git`,
  });
  const feature = await store.features.create(project.id, { title: 'Never cloned' });
  await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });

  const failed = await waitFor(
    storage,
    () => featureIn(store, feature, ['failed', 'done']),
    'failed',
    60_000,
  );
  expect(failed.status).toBe('failed');
  expect(failed.counters.stage).toBe('setting_up');
  expect(failed.counters.lastFailure).toMatch(
    /^setting_up: workspace_error: cannot fetch the repository: timed out after [\d.]+ s/,
  );
  const runs = await store.runs.listByFeature(feature.id);
  expect(runs.length).toBeGreaterThan(1); // the stage was retried by the pipeline
  for (const run of runs) {
    expect(run.status).toBe('failed');
    expect(run.exitReason).toMatch(/^workspace_error: cannot fetch the repository: /);
  }
  // Two launch attempts per run, each one connection to the black hole.
  expect(connections).toBe(runs.length * 2);
  expect(orchestrator.handlers.launches).toBe(0);
});
