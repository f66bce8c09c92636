/**
 * Crash safety with real processes: the orchestrator runs as a service process (src/main.ts)
 * against the real web API, scripted model server, SDK runners and Postgres.
 * (a) SIGKILL the orchestrator while an agent runs, restart it: the pipeline completes, the lost
 *     stage is retried once, every result is recorded and applied exactly once.
 * (b) SIGKILL an agent runner mid-run: its stage is retried (attempt 2) and the pipeline completes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { AgentRun, Feature } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OrchestratorProcess, spawnOrchestrator } from './orchestrator-process';
import { type Stack, startStack, waitFor, waitUntilSettled } from './stack';
import { expectCompletedOnce } from './support-runs';

const OPTS = { orgMaxConcurrentAgents: 10 };
let stack: Stack;
const processes: OrchestratorProcess[] = [];

beforeAll(async () => {
  stack = await startStack();
  await stack.store.projects.update(stack.project.id, { settings: { maxConcurrentAgents: 2 } });
});
afterAll(async () => {
  for (const p of processes) await p.kill('SIGTERM');
  await stack?.close();
});

const runningRun = (feature: Feature, role: AgentRun['role']) => async () =>
  (await stack.store.runs.listByFeature(feature.id)).find((r) => r.role === role && r.status === 'running');

/** Descendants of `pid` (the sandbox wrapper) whose command line is the agent runner. */
function runnerProcesses(pid: number): number[] {
  const children = (p: number): number[] =>
    readdirSync(`/proc/${p}/task`).flatMap((task) =>
      readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  const found: number[] = [];
  const walk = (p: number) => {
    for (const child of children(p)) {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('agent-runner/src/main.ts'))
        found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

it('survives a SIGKILLed orchestrator and a SIGKILLed runner: every stage completes exactly once', async () => {
  const { store, storage, project } = stack;
  const first = await store.features.create(project.id, { title: 'Add a wishlist' });
  await startFeature(store, first.id, OPTS);
  const a = spawnOrchestrator(stack, 'crash-a');
  processes.push(a);

  // (a) Kill the orchestrator while the coder runs; its sandboxed runner dies with it.
  const lost = await waitFor(storage, runningRun(first, 'coder'), 'the coder running');
  await a.kill('SIGKILL');
  const b = spawnOrchestrator(stack, 'crash-b');
  processes.push(b);

  // (b) Meanwhile a second feature; kill its architect's runner process under the new orchestrator.
  const second = await store.features.create(project.id, { title: 'Add gift cards' });
  await startFeature(store, second.id, OPTS);
  const victim = await waitFor(storage, runningRun(second, 'architect'), 'the architect running');
  const started = await b.nextLog((l) => l.msg === 'agent started' && l.runId === victim.id);
  const wrapperPid = Number(String(started.handle).split(':')[2]);
  const runners = await waitFor(
    storage,
    async () => {
      const found = runnerProcesses(wrapperPid);
      return found.length > 0 ? found : null;
    },
    'the runner process',
  );
  for (const pid of runners) process.kill(pid, 'SIGKILL');

  const [firstDone, secondDone] = await Promise.all(
    [first, second].map((f) => waitUntilSettled(storage, store, f)),
  );
  expect(firstDone!.status).toBe('done');
  expect(secondDone!.status).toBe('done');

  // (a) The coder that was running when its orchestrator died is failed as lost, retried as attempt 2.
  const firstRuns = await expectCompletedOnce(stack.databaseUrl, store, first.id);
  expect(firstRuns.find((r) => r.id === lost.id)).toMatchObject({
    status: 'failed',
    exitReason: 'orchestrator_lost',
  });
  const afterLost = firstRuns[firstRuns.findIndex((r) => r.id === lost.id) + 1]!;
  expect(afterLost).toMatchObject({ role: 'coder', attempt: 2, status: 'succeeded' });
  // The restarted orchestrator launched everything after the crash; nothing was launched twice.
  const launched = [...a.launches(), ...b.launches()];
  expect(new Set(launched).size).toBe(launched.length);
  expect(b.launches()).toContain(afterLost.id);

  // (b) The killed runner's stage failed with its exit and was retried.
  const secondRuns = await expectCompletedOnce(stack.databaseUrl, store, second.id);
  const killed = secondRuns.find((r) => r.id === victim.id)!;
  expect(killed.status).toBe('failed');
  expect(killed.exitReason).toMatch(/^runner_exited_/);
  expect(secondRuns[2]).toMatchObject({ role: 'architect', attempt: 2, status: 'succeeded' });
});
