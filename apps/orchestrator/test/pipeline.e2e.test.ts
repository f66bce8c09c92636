import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFeature, stopFeature } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { featureIn, type Stack, startStack, waitFor, waitUntilSettled } from './stack';

const exec = promisify(execFile);
const OPTS = { orgMaxConcurrentAgents: 10 };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  await stack.startOrchestrator('orch-a');
});
afterAll(async () => {
  await stack?.close();
});

describe('the agent pipeline, end to end on the real SDK', () => {
  it('takes a feature from setup and architect to a pushed, tested branch', async () => {
    const { store, storage, project } = stack;
    const feature = await store.features.create(project.id, {
      title: 'Add a wishlist',
      description: 'Shoppers can save products for later.',
      acceptanceCriteria: ['A product can be added to the wishlist', 'Duplicates are ignored'],
    });
    const started = await startFeature(store, feature.id, OPTS);
    expect(started.ok).toBe(true);

    const done = await waitUntilSettled(storage, store, feature);
    expect(done.status).toBe('done');
    expect(done.branchName).toMatch(/^omakase\/demo-1-add-a-wishlist/);
    // Pushed: the feature's checkout goes once the push is committed (the remote has its work).
    const workspace = join(stack.dataDir, 'workspaces', feature.orgId, feature.id);
    await vi.waitFor(() => expect(existsSync(workspace)).toBe(false), { timeout: 10_000 });

    const runs = await store.runs.listByFeature(feature.id);
    expect(runs.map((r) => `${r.role}:${r.status}`)).toEqual([
      'setup:succeeded',
      'architect:succeeded',
      'coder:succeeded',
      'reviewer:succeeded',
      'coder:succeeded',
      'reviewer:succeeded',
      'tester:succeeded',
    ]);
    expect(runs[3]!.output?.verdict).toBe('REQUEST_CHANGES');
    expect(runs[5]!.output?.verdict).toBe('APPROVE');
    expect(runs[6]!.output).toMatchObject({ passed: true, failed: 0 });
    for (const run of runs.slice(1)) {
      expect(run.costUsd).toBeGreaterThan(0);
      expect((await store.events.list(run.id)).length).toBeGreaterThan(0);
    }

    // The remote holds the branch with the coder's commits, and the project's tests pass on it.
    const log = await exec('git', ['-C', stack.repoDir, 'log', '--format=%s', `main..${done.branchName}`]);
    expect(log.stdout).toContain(feature.key);
    const check = await mkdtemp(join(tmpdir(), 'omakase-check-'));
    await exec('git', ['clone', '--quiet', '--branch', done.branchName!, stack.repoDir, check]);
    const tests = await exec('npm', ['test'], { cwd: check });
    expect(tests.stdout).toMatch(/# fail 0/);
  });

  it('keeps a dependant waiting until its dependency is done', async () => {
    const { store, storage, project } = stack;
    await store.projects.update(project.id, { settings: { maxConcurrentAgents: 2 } });
    const a = await store.features.create(project.id, { title: 'Add gift cards' });
    const b = await store.features.create(project.id, { title: 'Gift card checkout', dependsOn: [a.id] });
    const { startProject } = await import('@omakase/engine');
    await startProject(store, project.id);
    await waitFor(storage, () => featureIn(store, a, ['coding']), 'A coding');
    expect((await store.features.get(b.id))?.status).toBe('pending');
    await waitFor(storage, () => featureIn(store, a, ['done']), 'A done');
    const bDone = await waitFor(storage, () => featureIn(store, b, ['done', 'failed']), 'B done');
    expect(bDone.status).toBe('done');
    const firstRunOfB = (await store.runs.listByFeature(b.id))[0]!;
    const aDoneAt = (await store.features.get(a.id))!.updatedAt;
    expect(firstRunOfB.createdAt.getTime()).toBeGreaterThanOrEqual(aDoneAt.getTime());
    const { pauseProject } = await import('@omakase/engine');
    await pauseProject(store, project.id);
  });

  it('stops a running agent within 5 s and resumes the feature on retry', async () => {
    const { store, storage, project } = stack;
    const feature = await store.features.create(project.id, { title: 'Slow search [script:slow]' });
    await startFeature(store, feature.id, OPTS);
    const orchestrator = stack.orchestrators[0]!;
    const running = await waitFor(
      storage,
      async () => [...orchestrator.handlers.hosted.keys()][0] ?? null,
      'an agent running',
    );
    const exited = new Promise<number>((resolve) =>
      orchestrator.driver.onExit((exit) => exit.runId === running && resolve(Date.now())),
    );
    const stoppedAt = Date.now();
    const stopped = await stopFeature(store, feature.id);
    expect(stopped.ok && stopped.value.status).toBe('cancelled');
    expect((await exited) - stoppedAt).toBeLessThan(5000);
    expect((await store.runs.get(running))?.status).toBe('cancelled');

    const resumed = await startFeature(store, feature.id, OPTS);
    expect(resumed.ok && resumed.value.status).toBe('architecting');
    const runs = await store.runs.listByFeature(feature.id);
    expect(runs.map((r) => `${r.role}:${r.status}`)).toEqual([
      'setup:succeeded',
      'architect:cancelled',
      'architect:queued',
    ]);
    await stopFeature(store, feature.id);
  });
});
