import type { Feature } from '@omakase/domain';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerFeature, applyEvent, scheduleProject, startFeature, stopFeature } from '../src';
import {
  APPROVE,
  CHANGES,
  finishLatestRun,
  type Harness,
  latestRun,
  openHarness,
  PASSED,
  PLAN,
  SETUP_READY,
} from './harness';

const OPTS = { orgMaxConcurrentAgents: 10 };
let h: Harness;

beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

async function project(maxConcurrentAgents = 2) {
  return h.store.projects.create({
    name: 'shop',
    keyPrefix: 'SHOP',
    repositoryUrl: 'file:///tmp/shop',
    settings: { maxConcurrentAgents, budgetPerFeatureUsd: 5, commandAllowlist: ['npm test'] },
  });
}

const reload = async (f: Feature) => (await h.store.features.get(f.id))!;

describe('pipeline engine on Postgres', () => {
  it('runs a feature through review changes to done, then starts its dependant', async () => {
    const p = await project();
    await h.store.projects.update(p.id, { status: 'active' });
    const a = await h.store.features.create(p.id, { title: 'Cart' });
    const b = await h.store.features.create(p.id, { title: 'Checkout', dependsOn: [a.id] });

    const started = await h.store.transaction((tx) => scheduleProject(tx, p.id, OPTS));
    expect(started.map((f) => f.key)).toEqual([a.key]);
    expect((await reload(a)).status).toBe('setting_up');
    expect((await latestRun(h.store, a)).role).toBe('setup');
    await finishLatestRun(h.store, a, SETUP_READY);
    expect((await latestRun(h.store, a)).role).toBe('architect');

    await finishLatestRun(h.store, a, PLAN);
    expect((await reload(a)).status).toBe('coding');
    const coderInput = (await latestRun(h.store, a)).input;
    expect(coderInput.plan).toEqual(PLAN);

    await finishLatestRun(h.store, a, { summary: 'done' });
    await finishLatestRun(h.store, a, CHANGES);
    expect((await reload(a)).status).toBe('coding');
    expect((await latestRun(h.store, a)).input.review).toEqual(CHANGES);

    await finishLatestRun(h.store, a, { summary: 'renamed' });
    await finishLatestRun(h.store, a, APPROVE);
    await finishLatestRun(h.store, a, PASSED);
    const pushing = await reload(a);
    expect([pushing.status, pushing.counters.stage]).toEqual(['testing', 'pushing']);
    expect((await reload(b)).status).toBe('pending');

    await h.store.transaction(async (tx) =>
      applyEvent(tx, (await tx.features.get(a.id))!, {
        type: 'branch_pushed',
        branchName: 'x',
        pullRequestUrl: null,
      }),
    );
    expect((await reload(a)).status).toBe('done');
    await h.store.transaction((tx) => scheduleProject(tx, p.id, OPTS));
    expect((await reload(b)).status).toBe('setting_up');
    const cost = await h.store.runs.costByFeature(a.id);
    expect(cost.runs).toBe(7);
    expect(cost.costUsd).toBeCloseTo(0.07);
  });

  it('applies a run completion exactly once', async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Once' });
    await startFeature(h.store, a.id, OPTS);
    await finishLatestRun(h.store, a, SETUP_READY);
    const first = await finishLatestRun(h.store, a, PLAN);
    expect(first.applied).toBe(true);
    const architect = (await h.store.runs.listByFeature(a.id))[1]!;
    const { completeRun } = await import('../src');
    const again = await h.store.transaction((tx) => completeRun(tx, architect.id));
    expect(again.applied).toBe(false);
    expect((await h.store.runs.listByFeature(a.id)).map((r) => r.role)).toEqual([
      'setup',
      'architect',
      'coder',
    ]);
  });

  it('refuses to start a blocked feature and names its blockers', async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Base' });
    const b = await h.store.features.create(p.id, { title: 'Top', dependsOn: [a.id] });
    const result = await startFeature(h.store, b.id, OPTS);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatchObject({ code: 'blocked', message: expect.stringContaining(a.key) });
  });

  it('respects project capacity', async () => {
    const p = await project(1);
    await h.store.projects.update(p.id, { status: 'active' });
    await h.store.features.create(p.id, { title: 'One', priority: 3 });
    const urgent = await h.store.features.create(p.id, { title: 'Two', priority: 1 });
    const started = await h.store.transaction((tx) => scheduleProject(tx, p.id, OPTS));
    expect(started.map((f) => f.id)).toEqual([urgent.id]);
    const more = await h.store.transaction((tx) => scheduleProject(tx, p.id, OPTS));
    expect(more).toEqual([]);
  });

  it('stops a running feature, cancelling its run, and resumes on answer after REJECT', async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Stop me' });
    await startFeature(h.store, a.id, OPTS);
    const stopped = await stopFeature(h.store, a.id);
    expect(stopped.ok && stopped.value.status).toBe('cancelled');
    expect((await latestRun(h.store, a)).status).toBe('cancelled');

    const resumed = await startFeature(h.store, a.id, OPTS);
    expect(resumed.ok && resumed.value.status).toBe('setting_up');
    await finishLatestRun(h.store, a, SETUP_READY);
    await finishLatestRun(h.store, a, PLAN);
    await finishLatestRun(h.store, a, { summary: 'x' });
    await finishLatestRun(h.store, a, {
      verdict: 'REJECT',
      comments: [{ file: 'a', body: 'Wrong approach' }],
    });
    const asking = await reload(a);
    expect(asking.status).toBe('needs_input');
    expect(asking.needsInput?.question).toContain('Wrong approach');

    const answered = await answerFeature(h.store, a.id, 'Use the cart service');
    expect(answered.ok && answered.value.status).toBe('architecting');
    expect((await latestRun(h.store, a)).input.humanAnswer).toBe('Use the cart service');
  });

  it('treats a malformed verdict as a failed attempt and retries the stage', async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Bad verdict' });
    await startFeature(h.store, a.id, OPTS);
    await finishLatestRun(h.store, a, SETUP_READY);
    await finishLatestRun(h.store, a, PLAN);
    await finishLatestRun(h.store, a, { summary: 'x' });
    await finishLatestRun(h.store, a, { verdict: 'MAYBE' });
    const retry = await latestRun(h.store, a);
    expect([retry.role, retry.attempt]).toEqual(['reviewer', 2]);
  });

  it('a failed setup asks with its log; an answer sets up again', async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Install' });
    await startFeature(h.store, a.id, OPTS);
    await finishLatestRun(h.store, a, {
      setup: { command: 'npm ci', exitCode: 1, timedOut: false, durationMs: 5, logTail: 'npm ERR! 404' },
      environment: null,
      baseline: null,
    });
    const asking = await reload(a);
    expect([asking.status, asking.needsInput?.reason]).toEqual(['needs_input', 'setup_failed']);
    expect(asking.needsInput?.question).toContain('npm ERR! 404');
    const answered = await answerFeature(h.store, a.id, 'fixed the registry');
    expect(answered.ok && answered.value.status).toBe('setting_up');
    expect((await latestRun(h.store, a)).role).toBe('setup');
  });

  it("keeps a setup run's baseline for its own base commit only, first writer wins", async () => {
    const p = await project();
    const a = await h.store.features.create(p.id, { title: 'Baseline' });
    await startFeature(h.store, a.id, OPTS);
    const setup = await latestRun(h.store, a);
    const commit = 'a'.repeat(40);
    await h.store.runs.update(setup.id, { baseCommit: commit });
    const baseline = { baseCommit: commit, command: 'npm test', exitCode: 1, failing: ['t1'], format: 'tap' };
    await finishLatestRun(h.store, a, { ...SETUP_READY, baseline });
    const stored = await h.store.baselines.get(p.id, commit, 'npm test');
    expect(stored?.summary).toEqual(baseline);
    expect(stored?.runId).toBe(setup.id);

    const b = await h.store.features.create(p.id, { title: 'Other commit' });
    await startFeature(h.store, b.id, OPTS);
    const other = await latestRun(h.store, b);
    await h.store.runs.update(other.id, { baseCommit: 'b'.repeat(40) });
    await finishLatestRun(h.store, b, { ...SETUP_READY, baseline: { ...baseline, failing: [] } });
    expect((await h.store.baselines.get(p.id, commit, 'npm test'))?.summary).toEqual(baseline);
    expect(await h.store.baselines.get(p.id, 'b'.repeat(40), 'npm test')).toBeNull();
  });
});
