/**
 * What a run spent counts even when it never finishes normally: the runner's periodic usage
 * snapshots are stored on the run (a hard death or a stop keeps the last one), a timed-out run's
 * partial usage is recorded with its result, and the feature's spend — the budget the next run
 * gets — includes both. The run DTO shows the per-model split with cache reads and writes apart.
 */
import { mintRunToken } from '@omakase/auth';
import type { FeatureId } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as featureRunsRoute from '@/app/api/v1/features/[featureId]/runs/route';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import * as resultRoute from '@/app/api/v1/runs/[runId]/result/route';
import * as specRoute from '@/app/api/v1/runs/[runId]/spec/route';
import { call, expectError } from '../support/http';
import { machineToken } from '../support/oidc';
import { type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'run-usage-secret-0123456789abcdef0123';
let stack: ApiStack;
let member: string;

beforeAll(async () => {
  stack = await startApiStack();
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
  member = await machineToken(stack.issuer.url);
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const SONNET = 'claude-sonnet-4-5';
const HAIKU = 'claude-haiku-4-5';
const model = (input: number, output: number, cacheRead: number, cacheWrite: number, costUsd: number) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadInputTokens: cacheRead,
  cacheCreationInputTokens: cacheWrite,
  costUsd,
});

async function newRun(featureId: FeatureId) {
  const run = await demo().runs.create({ featureId, role: 'coder' });
  const token = await mintRunToken({ runId: run.id, orgId: demo().orgId, featureId }, RUN_SECRET);
  return { run, token };
}
const newFeature = async () =>
  (await demo().features.create(stack.seeded.shop.id, { title: `Usage ${Math.random()}` })).id;

const postEvents = (runId: string, token: string, events: unknown[]) =>
  call(runEventsRoute.POST, `POST /api/v1/runs/${runId}/events`, {
    token,
    params: { runId },
    body: { events },
  });
const postResult = (runId: string, token: string, body: unknown) =>
  call(resultRoute.POST, `POST /api/v1/runs/${runId}/result`, { token, params: { runId }, body });
const featureRuns = async (featureId: string) => {
  const response = await call(featureRunsRoute.GET, `GET /api/v1/features/${featureId}/runs`, {
    token: member,
    params: { featureId },
  });
  expect(response.status).toBe(200);
  return response.json!;
};
const budgetOf = async (runId: string, token: string) => {
  const response = await call(specRoute.GET, `GET /api/v1/runs/${runId}/spec`, { token, params: { runId } });
  expect(response.status).toBe(200);
  return response.json!.project.budgetUsd as number;
};

const snapshot = (seq: number, costUsd: number, byModel: Record<string, ReturnType<typeof model>>) => ({
  seq,
  type: 'usage',
  occurredAt: new Date().toISOString(),
  payload: { tokensIn: 1000 * seq, tokensOut: 10 * seq, costUsd, durationMs: 0, byModel, final: false },
});

describe('run usage', () => {
  it('keeps the last usage snapshot of a run that is stopped, and counts it in the feature’s spend', async () => {
    const featureId = await newFeature();
    const { run, token } = await newRun(featureId);
    const first = { [SONNET]: model(100, 10, 500, 400, 0.01) };
    const last = { [SONNET]: model(300, 30, 1500, 400, 0.05), [HAIKU]: model(20, 5, 0, 100, 0.002) };
    expect((await postEvents(run.id, token, [snapshot(1, 0.01, first)])).status).toBe(200);
    expect((await postEvents(run.id, token, [snapshot(2, 0.052, last)])).status).toBe(200);

    // The stop (engine: status cancelled) ends the token; the runner's own report is refused.
    await demo().runs.update(run.id, { status: 'cancelled', finishedAt: new Date(), exitReason: 'stopped' });
    const late = await postResult(run.id, token, {
      outcome: 'cancelled',
      output: null,
      usage: { tokensIn: 9, tokensOut: 9, costUsd: 9, durationMs: 9 },
      exitReason: 'cancelled',
    });
    expectError(late, 403, 'forbidden');

    const { runs, totals } = await featureRuns(featureId);
    expect(runs[0]).toMatchObject({
      status: 'cancelled',
      tokensIn: 2000,
      tokensOut: 20,
      costUsd: 0.052,
      cacheReadTokens: 1500,
      cacheWriteTokens: 500,
      usageByModel: last,
    });
    expect(totals.costUsd).toBeCloseTo(0.052, 6);
  });

  it('records a timed-out run’s partial usage with its result; the next run’s budget counts it', async () => {
    const featureId = await newFeature();
    const project = await demo().projects.get(stack.seeded.shop.id);
    const perFeature = project!.settings.budgetPerFeatureUsd;
    const { run, token } = await newRun(featureId);
    const byModel = { [SONNET]: model(50, 40, 3000, 200, 0.3), [HAIKU]: model(10, 2, 0, 0, 0.01) };
    const posted = await postResult(run.id, token, {
      outcome: 'failed',
      output: null,
      usage: { tokensIn: 3260, tokensOut: 42, costUsd: 0.31, durationMs: 60_000, byModel },
      exitReason: 'timeout',
    });
    expect(posted.json).toEqual({ recorded: true });

    const { runs, totals } = await featureRuns(featureId);
    expect(runs[0]).toMatchObject({
      status: 'failed',
      exitReason: 'timeout',
      costUsd: 0.31,
      usageByModel: byModel,
    });
    expect(runs[0].cacheReadTokens).toBe(3000);
    expect(totals.costUsd).toBeCloseTo(0.31, 6);

    const next = await newRun(featureId);
    expect(await budgetOf(next.run.id, next.token)).toBeCloseTo(perFeature - 0.31, 6);
  });

  it('stores the usage of a stop the runner reports before the platform recorded it, and leaves the run live', async () => {
    const featureId = await newFeature();
    const { run, token } = await newRun(featureId);
    const byModel = { [SONNET]: model(7, 3, 0, 0, 0.004) };
    const posted = await postResult(run.id, token, {
      outcome: 'cancelled',
      output: null,
      usage: { tokensIn: 7, tokensOut: 3, costUsd: 0.004, durationMs: 5, byModel },
      exitReason: 'cancelled',
    });
    expect(posted.json).toEqual({ recorded: false });
    const stored = await demo().runs.get(run.id);
    expect(stored).toMatchObject({ status: 'queued', costUsd: 0.004, usageByModel: byModel });
  });

  it('ignores a usage event that does not parse as usage', async () => {
    const featureId = await newFeature();
    const { run, token } = await newRun(featureId);
    const bogus = { seq: 1, type: 'usage', occurredAt: new Date().toISOString(), payload: { costUsd: -5 } };
    expect((await postEvents(run.id, token, [bogus])).status).toBe(200);
    expect((await demo().runs.get(run.id))?.costUsd).toBe(0);
  });
});
