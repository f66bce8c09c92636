/**
 * The whole pipeline with COMPUTE_DRIVER=ecs semantics: the real orchestrator drives the
 * EcsFargateDriver against the loopback ECS fake, whose "tasks" run the real agent runner
 * (real SDK, scripted model) as local processes reporting through the real web API. The first
 * architect task is reclaimed as a Spot interruption; the run must be retried, not failed.
 * The org saved its own model key: no task override carries it, yet every run uses it (the
 * runner fetches it with its run token) instead of the task definition's deployment key.
 */
import { randomBytes } from 'node:crypto';
import { createSecurityStorage } from '@omakase/db';
import { startFeature } from '@omakase/engine';
import { createEnvelope, localKeyProvider } from '@omakase/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitUntilSettled } from '../stack';
import { saveOrgSecret } from '../support-secrets';
import type { FakeEcs } from './fake-ecs';
import { nextTask } from './fake-ecs';
import { localRunnerTask } from './local-task-runtime';
import { driverFor, startFake } from './support';

let stack: Stack;
let fake: FakeEcs;
const MASTER_KEY = randomBytes(32).toString('base64');
const ORG_KEY = `sk-ant-org-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  stack = await startStack({ webEnv: { OMAKASE_MASTER_KEY: MASTER_KEY } });
  const security = createSecurityStorage(stack.databaseUrl);
  const envelope = createEnvelope(localKeyProvider(MASTER_KEY));
  await saveOrgSecret(security, envelope, stack.store.orgId, 'anthropic_api_key', ORG_KEY);
  await security.close();
  fake = await startFake({
    startDelayMs: 300,
    runtime: localRunnerTask,
    injectedSecrets: { ANTHROPIC_API_KEY: 'scripted' },
  });
  await stack.startOrchestrator('orch-ecs', driverFor(fake, { pollIntervalMs: 100 }));
});
afterAll(async () => {
  await stack?.close();
  await fake?.stop();
});

describe('the pipeline on the ECS driver (loopback ECS fake running the real runner)', () => {
  it('completes a feature and retries a Spot-interrupted run without a failed attempt', async () => {
    const { store, storage, project } = stack;
    const architectRunning = nextTask(
      fake,
      'running',
      (t) => fake.envOf(t).OMAKASE_ROLE === 'architect',
      120_000,
    );
    const feature = await store.features.create(project.id, { title: 'Add a wishlist' });
    expect((await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 })).ok).toBe(true);

    const reclaimed = await architectRunning;
    fake.interrupt(reclaimed.taskArn);

    const done = await waitUntilSettled(storage, store, feature);
    expect(done.status).toBe('done');
    const runs = await store.runs.listByFeature(feature.id);
    expect(runs.map((r) => `${r.role}:${r.status}:${r.attempt}`)).toEqual([
      'setup:succeeded:1',
      'architect:succeeded:1',
      'coder:succeeded:1',
      'reviewer:succeeded:1',
      'coder:succeeded:1',
      'reviewer:succeeded:1',
      'tester:succeeded:1',
    ]);

    const tasks = [...fake.tasks.values()];
    const architectTasks = tasks.filter((t) => t.startedBy === runs[1]!.id);
    expect(architectTasks.map((t) => t.stopCode)).toEqual(['SpotInterruption', 'EssentialContainerExited']);
    expect(tasks).toHaveLength(8); // the setup run's baseline, six agents, one retry
    for (const task of tasks) {
      expect(task.capacityProviderName).toBe('FARGATE_SPOT');
      expect(fake.envOf(task).ANTHROPIC_API_KEY).toBeUndefined();
      expect(JSON.stringify(fake.envOf(task))).not.toContain(ORG_KEY);
      expect(fake.envOf(task).OMAKASE_MODEL_KEY_SOURCE).toBe('api');
      expect(task.tags).toContainEqual({ key: 'omakase:feature', value: feature.id });
    }
    for (const run of runs) expect((await store.events.list(run.id)).length).toBeGreaterThan(0);
    expect(stack.model.sawApiKey(ORG_KEY)).toBe(true);
    expect(stack.model.sawApiKey('scripted')).toBe(false); // the task definition's deployment key
  });
});
