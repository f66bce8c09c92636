/**
 * Scale-out: two orchestrator service processes on one database share the work through leased
 * work items. Each launches agents, no run is launched twice, none is left behind.
 */
import { startProject } from '@omakase/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OrchestratorProcess, spawnOrchestrator } from './orchestrator-process';
import { type Stack, startStack, waitUntilSettled } from './stack';
import { expectCompletedOnce } from './support-runs';

let stack: Stack;
const processes: OrchestratorProcess[] = [];

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await stack?.close();
});

it('two orchestrators share four features: each launches, nothing twice, all done', async () => {
  const { store, storage, project } = stack;
  await store.projects.update(project.id, { settings: { maxConcurrentAgents: 4 } });
  const titles = ['Add a wishlist', 'Add gift cards', 'Add product reviews', 'Add a newsletter'];
  const features = [];
  for (const title of titles) features.push(await store.features.create(project.id, { title }));
  const a = spawnOrchestrator(stack, 'scale-a', { LEASE_MS: '5000' });
  const b = spawnOrchestrator(stack, 'scale-b', { LEASE_MS: '5000' });
  processes.push(a, b);
  await Promise.all([a, b].map((p) => p.nextLog((l) => l.msg === 'orchestrator started')));
  await startProject(store, project.id);

  const finished = await Promise.all(features.map((f) => waitUntilSettled(storage, store, f)));
  expect(finished.map((f) => f.status)).toEqual(['done', 'done', 'done', 'done']);

  const launched = [...a.launches(), ...b.launches()];
  expect(a.launches().length).toBeGreaterThan(0);
  expect(b.launches().length).toBeGreaterThan(0);
  expect(new Set(launched).size).toBe(launched.length);
  const runs = [];
  for (const f of features) runs.push(...(await expectCompletedOnce(stack.databaseUrl, store, f.id)));
  // Every run was launched by exactly one of them; none left queued or running.
  expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
  expect(launched.sort()).toEqual(runs.map((r) => r.id).sort());
});
