/** The run spec carries the feature's history the role's prompt shows (apps/web/src/server/run-context.ts). */

import { mintRunToken } from '@omakase/auth';
import type { AgentRun, Feature, RunPatch } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as specRoute from '@/app/api/v1/runs/[runId]/spec/route';
import { call } from '../support/http';
import { type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'run-context-secret-0123456789abcdef012345';
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
});
afterAll(() => stack?.stop());

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);

async function specOf(run: AgentRun) {
  const token = await mintRunToken({ runId: run.id, orgId: run.orgId, featureId: run.featureId }, RUN_SECRET);
  const response = await call(specRoute.GET, `GET /api/v1/runs/${run.id}/spec`, {
    token,
    params: { runId: run.id },
  });
  expect(response.status).toBe(200);
  return response.json!;
}

async function finished(feature: Feature, role: AgentRun['role'], attempt: number, patch: RunPatch) {
  const run = await demo().runs.create({ featureId: feature.id, role, attempt });
  return (await demo().runs.update(run.id, { status: 'succeeded', finishedAt: new Date(), ...patch }))!;
}

describe('run context in the spec', () => {
  it("gives a reviewer the coder's own summary and the round numbers", async () => {
    const feature = stack.seeded.shopFeatures[0]!;
    await demo().features.update(feature.id, {
      counters: { ...feature.counters, reviewRounds: 1, testRounds: 0 },
    });
    const summary = 'Added `wrap()` with tests.\n```js\nwrap(order)\n```';
    await finished(feature, 'coder', 1, { output: { commit: 'abc', files: ['src/wrap.js'], summary } });
    const reviewer = await demo().runs.create({ featureId: feature.id, role: 'reviewer' });
    const spec = await specOf(reviewer);
    expect(spec.context).toEqual({
      coderSummary: summary,
      reviewRound: { number: 2, max: 4 },
      testRound: { number: 1, max: 4 },
    });
  });

  it('tells a retried run why the previous attempt of its stage ended', async () => {
    const feature = stack.seeded.shopFeatures[1]!;
    await finished(feature, 'coder', 1, { status: 'failed', exitReason: 'max_turns' });
    const retry = await demo().runs.create({ featureId: feature.id, role: 'coder', attempt: 2 });
    const spec = await specOf(retry);
    expect(spec.context.retry).toEqual({ previousExitReason: 'max_turns' });
    expect(spec.context.coderSummary).toBeUndefined();
    const first = await demo().runs.create({ featureId: feature.id, role: 'tester' });
    expect((await specOf(first)).context.retry).toBeUndefined();
  });
});
