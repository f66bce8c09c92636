/**
 * Bad input and back edges on the real SDK with the scripted model's markers: malformed verdicts,
 * a rejecting reviewer and the human's answer, failing tests sent back to the coder, a runner
 * token used on another run, and a feature that runs out of budget. The features run concurrently.
 */
import { randomUUID } from 'node:crypto';
import { mintRunToken } from '@omakase/auth';
import { DEMO_COMMAND_ALLOWLIST } from '@omakase/demo-repo';
import type { Feature, Project } from '@omakase/domain';
import { answerFeature, startFeature, stopFeature } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureIn, SETTLED, type Stack, startStack, waitFor } from './stack';

const OPTS = { orgMaxConcurrentAgents: 10 };
let stack: Stack;
let tight: Project;

beforeAll(async () => {
  stack = await startStack();
  await stack.store.projects.update(stack.project.id, { settings: { maxConcurrentAgents: 4 } });
  tight = await stack.store.projects.create({
    name: 'tight-budget',
    keyPrefix: 'TIGHT',
    repositoryUrl: `file://${stack.repoDir}`,
    settings: {
      maxConcurrentAgents: 1,
      budgetPerFeatureUsd: 0.001,
      commandAllowlist: [...DEMO_COMMAND_ALLOWLIST],
    },
  });
  await stack.startOrchestrator('orch-bad-input');
});
afterAll(async () => {
  await stack?.close();
});

async function run(title: string, project = stack.project) {
  const feature = await stack.store.features.create(project.id, { title, acceptanceCriteria: ['It works'] });
  expect((await startFeature(stack.store, feature.id, OPTS)).ok).toBe(true);
  return feature;
}
const settled = (feature: Feature, statuses = SETTLED) =>
  waitFor(stack.storage, () => featureIn(stack.store, feature, statuses), `${feature.key} settled`);
const runsOf = async (feature: Feature) =>
  (await stack.store.runs.listByFeature(feature.id)).map(
    (r) => `${r.role}#${r.attempt}:${r.status}:${r.exitReason}`,
  );

describe.concurrent('bad input and back edges', () => {
  it('a malformed verdict is a failed attempt: three, then the feature fails with the reason', async () => {
    const feature = await run('Add coupons [script:bad-verdict]');
    const failed = await settled(feature);
    expect(failed.status).toBe('failed');
    expect(failed.counters.lastFailure).toBe('architecting: no_verdict');
    expect(await runsOf(feature)).toEqual([
      'setup#1:succeeded:completed',
      'architect#1:failed:no_verdict',
      'architect#2:failed:no_verdict',
      'architect#3:failed:no_verdict',
    ]);
  });

  it('a REJECT asks the human with the reviewer’s comment; the answer resumes at architecting', async () => {
    const feature = await run('Add loyalty points [script:reject]');
    const asked = await settled(feature);
    expect(asked.status).toBe('needs_input');
    expect(asked.needsInput?.question).toContain('The change does not implement the acceptance criteria.');
    const answered = await answerFeature(
      stack.store,
      feature.id,
      'Plan it around the existing cart instead.',
    );
    expect(answered.ok && answered.value.status).toBe('architecting');
    const runs = await stack.store.runs.listByFeature(feature.id);
    expect(runs.map((r) => r.role)).toEqual(['setup', 'architect', 'coder', 'reviewer', 'architect']);
    expect(runs[3]!.output?.verdict).toBe('REJECT');
    expect(runs[4]!.input).toMatchObject({
      trigger: { kind: 'human_answer', answer: 'Plan it around the existing cart instead.' },
    });
    await stopFeature(stack.store, feature.id);
  });

  it('a failing test report sends the work back to the coder with the failures, then done', async () => {
    const feature = await run('Add a size guide [script:fail-tests]');
    const done = await settled(feature);
    expect(done.status).toBe('done');
    const runs = await stack.store.runs.listByFeature(feature.id);
    const failedReport = runs.findIndex((r) => r.role === 'tester' && r.output?.passed === false);
    expect(failedReport).toBeGreaterThan(0);
    const failures = (runs[failedReport]!.output as { failures: { name: string }[] }).failures;
    expect(failures.length).toBeGreaterThan(0);
    const fix = runs[failedReport + 1]!;
    expect(fix.role).toBe('coder');
    expect(fix.input).toMatchObject({ testReport: { passed: false, failures } });
    expect(runs.at(-1)).toMatchObject({ role: 'tester', status: 'succeeded', output: { passed: true } });
  });

  it('the runner honours the budget: the feature needs input with the budget reason', async () => {
    const feature = await run('Add a store locator', tight);
    const paused = await settled(feature);
    expect(paused.status).toBe('needs_input');
    expect(paused.needsInput?.question).toMatch(/spent \$\d+\.\d\d of its \$0\.00 budget while architecting/);
    // The runner was given the budget and the SDK stopped it: the run itself says why.
    expect(await runsOf(feature)).toEqual([
      'setup#1:succeeded:completed',
      'architect#1:failed:budget_exceeded',
    ]);
  });

  it('a run token opens its own run only: posting to another run is 403 and writes nothing', async () => {
    const victim = await run('Add a FAQ page [script:slow]');
    const victimRun = await waitFor(
      stack.storage,
      async () => (await stack.store.runs.listByFeature(victim.id))[0],
      'a run to target',
    );
    const before = (await stack.store.events.list(victimRun.id)).length;
    const token = await mintRunToken(
      {
        runId: `run_${randomUUID().replaceAll('-', '').slice(0, 26)}`,
        orgId: victimRun.orgId,
        featureId: victim.id,
      },
      stack.runTokenSecret,
    );
    const response = await fetch(`${stack.web.url}/api/v1/runs/${victimRun.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          { seq: 1, type: 'thought', payload: { text: 'injected' }, occurredAt: new Date().toISOString() },
        ],
      }),
    });
    expect(response.status).toBe(403);
    const events = await stack.store.events.list(victimRun.id);
    expect(events.length).toBeGreaterThanOrEqual(before);
    expect(events.some((e) => e.payload.text === 'injected')).toBe(false);
    await stopFeature(stack.store, victim.id);
  });
});
