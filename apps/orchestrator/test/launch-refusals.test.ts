/**
 * Runs the platform refuses for good fail at once with a reason, and nothing is started:
 * - an org the operator did not list for fallback credentials and that saved no Anthropic key,
 *   while a real model key is configured (demo mode, with no key at all, still runs);
 * - on ECS, an org without its own runner task definition (fail closed: no shared runner).
 * Real Postgres, real git, the real orchestrator loop, the real ECS driver on the loopback fake.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { createDemoRepository } from '@omakase/demo-repo';
import type { OrgId, TenantStore } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { scriptedDriver } from '../bench/scripted-agents';
import type { ComputeDriver, ComputeSpec } from '../src/compute/types';
import { gitWorkspaces } from '../src/git/publish';
import { createCheckRemote } from '../src/git/remote-policy';
import { type RunningOrchestrator, startOrchestrator } from '../src/orchestrator';
import { orgCredentials } from '../src/org-credentials';
import { localRunTokens } from '../src/run-tokens';
import type { FakeEcs } from './ecs/fake-ecs';
import { driverFor, startFake } from './ecs/support';
import { featureIn, waitFor } from './stack';

let dir: string;
let db: TestDatabase;
let storage: PostgresStorage;
let orchestrator: RunningOrchestrator | undefined;
let fake: FakeEcs | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'omakase-refusals-'));
  db = await createTestDatabase();
  storage = createStorage(db.url);
});
afterEach(async () => {
  await orchestrator?.stop();
  orchestrator = undefined;
  await fake?.stop();
  fake = undefined;
});
afterAll(async () => {
  await storage?.close();
  await db?.drop();
  // A clone cut short by the orchestrator's stop may still be writing its last files.
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

/** An org with a project on its own local demo repository and one feature to start. */
async function orgWithFeature(name: string) {
  const org = await storage.organizations.create({ name, externalId: `org_${name}_${db.name}` });
  const repoDir = join(dir, 'repos', org.id, 'demo-shop');
  await createDemoRepository(repoDir);
  const store = storage.forOrg(org.id);
  const project = await store.projects.create({
    name: 'shop',
    keyPrefix: name.slice(0, 4).toUpperCase(),
    repositoryUrl: `file://${repoDir}`,
  });
  const feature = await store.features.create(project.id, { title: `Feature of ${name}` });
  return { orgId: org.id, store, feature };
}

async function start(opts: {
  driver: ComputeDriver;
  orgs: OrgId[];
  model: { apiKey?: string };
  fallbackOrgs?: OrgId[];
}) {
  orchestrator = await startOrchestrator({
    storage,
    driver: opts.driver,
    workspaces: gitWorkspaces(join(dir, 'workspaces'), {
      checkRemote: createCheckRemote({ localRepositories: { root: join(dir, 'repos'), orgs: opts.orgs } }),
    }),
    workerId: `orch-${randomBytes(4).toString('hex')}`,
    leaseMs: 5000,
    apiUrl: 'http://127.0.0.1:9',
    runTokens: localRunTokens(randomBytes(32).toString('hex')),
    workspacesDir: join(dir, 'workspaces'),
    orgMaxConcurrentAgents: 10,
    model: opts.model,
    credentials: orgCredentials({
      fallback: { anthropicApiKey: opts.model.apiKey },
      fallbackOrgs: new Set(opts.fallbackOrgs ?? []),
    }),
    logger: pino({ level: process.env.E2E_LOG_LEVEL ?? 'silent' }),
  });
}

const firstRunFailed = (store: TenantStore, featureId: string) =>
  waitFor(
    storage,
    async () => {
      const [run] = await store.runs.listByFeature(featureId as never);
      return run?.status === 'failed' ? run : null;
    },
    'the run to fail',
    30_000,
  );

it("refuses an unlisted org's run without its own key, runs a listed org's on the deployment key", async () => {
  const unlisted = await orgWithFeature('unlisted');
  const listed = await orgWithFeature('listed');
  const started: ComputeSpec[] = [];
  const driver = scriptedDriver(storage);
  const start_ = driver.start.bind(driver);
  driver.start = (spec) => {
    started.push(spec);
    return start_(spec);
  };
  await start({
    driver,
    orgs: [unlisted.orgId, listed.orgId],
    model: { apiKey: 'sk-ant-deployment-key' },
    fallbackOrgs: [listed.orgId],
  });
  await startFeature(unlisted.store, unlisted.feature.id, { orgMaxConcurrentAgents: 10 });
  await startFeature(listed.store, listed.feature.id, { orgMaxConcurrentAgents: 10 });

  const run = await firstRunFailed(unlisted.store, unlisted.feature.id);
  expect(run.exitReason).toBe(
    'no Anthropic API key saved for this organisation; save one in Settings → Secrets',
  );
  await waitFor(storage, () => featureIn(listed.store, listed.feature, ['done']), 'listed org done', 60_000);
  expect(started.filter((s) => s.orgId === unlisted.orgId)).toEqual([]);
  const listedSpecs = started.filter((s) => s.orgId === listed.orgId);
  expect(listedSpecs.length).toBeGreaterThan(0);
  for (const spec of listedSpecs) expect(spec.secrets.ANTHROPIC_API_KEY).toBe('sk-ant-deployment-key');
});

it('keeps demo mode (no deployment key at all) running for every org', async () => {
  const demo = await orgWithFeature('demo');
  const started: ComputeSpec[] = [];
  const driver = scriptedDriver(storage);
  const start_ = driver.start.bind(driver);
  driver.start = (spec) => {
    started.push(spec);
    return start_(spec);
  };
  await start({ driver, orgs: [demo.orgId], model: {} });
  await startFeature(demo.store, demo.feature.id, { orgMaxConcurrentAgents: 10 });
  await waitFor(storage, () => featureIn(demo.store, demo.feature, ['done']), 'demo org done', 60_000);
  expect(started[0]!.secrets.ANTHROPIC_API_KEY).toBe('demo-mode-no-key');
});

it('fails an ECS run of an org without its own runner task definition, naming it; starts nothing', async () => {
  const onboarded = await orgWithFeature('onboarded');
  const stranger = await orgWithFeature('stranger');
  fake = await startFake({ taskDefinitions: [`omakase-runner-${onboarded.orgId}`] });
  await start({
    driver: driverFor(fake, { pollIntervalMs: 50 }),
    orgs: [onboarded.orgId, stranger.orgId],
    model: {},
  });
  await startFeature(stranger.store, stranger.feature.id, { orgMaxConcurrentAgents: 10 });
  await startFeature(onboarded.store, onboarded.feature.id, { orgMaxConcurrentAgents: 10 });

  const run = await firstRunFailed(stranger.store, stranger.feature.id);
  expect(run.exitReason).toBe(
    `no per-org runner for this organisation: task definition omakase-runner-${stranger.orgId} is not deployed (onboard the org: cdk deploy -c orgs=…, docs/deploy.md)`,
  );
  await waitFor(storage, async () => fake!.tasks.size > 0, 'the onboarded org’s task', 30_000);
  const families = [...fake.tasks.values()].map((t) => t.taskDefinitionArn.split('/').pop());
  expect(families.every((f) => f === `omakase-runner-${onboarded.orgId}`)).toBe(true);
  expect(orchestrator!.handlers.hosted.size).toBeLessThanOrEqual(1);
});
