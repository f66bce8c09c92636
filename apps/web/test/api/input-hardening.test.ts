/**
 * Hostile input answers a 4xx naming the field, never a 500: control characters (NUL first) in
 * user-supplied text, and run-event cursors beyond Postgres' integer range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as featureRoute from '@/app/api/v1/features/[featureId]/route';
import * as featuresRoute from '@/app/api/v1/projects/[projectId]/features/route';
import * as projectsRoute from '@/app/api/v1/projects/route';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let admin: string;

beforeAll(async () => {
  stack = await startApiStack();
  admin = await userToken(stack.issuer.url, 'admin@demo.local', APP_BASE_URL);
});
afterAll(() => stack?.stop());

const createFeature = (body: Record<string, unknown>) =>
  call(featuresRoute.POST, `POST /api/v1/projects/${stack.seeded.shop.id}/features`, {
    token: admin,
    params: { projectId: stack.seeded.shop.id },
    body,
  });

describe('control characters in user-supplied text', () => {
  it('refuses a NUL in a feature title with 422 naming the field, storing nothing', async () => {
    const before = await stack.storage.forOrg(stack.seeded.shop.orgId).features.list(stack.seeded.shop.id);
    expectError(await createFeature({ title: 'Cart\u0000' }), 422, 'validation_failed', 'title');
    expectError(
      await createFeature({ title: 'Ok', description: 'a\u0000b' }),
      422,
      'validation_failed',
      'description',
    );
    expectError(
      await createFeature({ title: 'Ok', acceptanceCriteria: ['fine', 'esc \u001b[2J'] }),
      422,
      'validation_failed',
      'acceptanceCriteria.1',
    );
    const after = await stack.storage.forOrg(stack.seeded.shop.orgId).features.list(stack.seeded.shop.id);
    expect(after).toHaveLength(before.length);
  });

  it('keeps tab and newlines in multi-line text, refuses them in one-line fields', async () => {
    const created = await createFeature({ title: 'Wishlist', description: 'line 1\n\tline 2\r\n' });
    expect(created.status).toBe(201);
    expectError(
      await call(featureRoute.PATCH, `PATCH /api/v1/features/${created.json!.id}`, {
        token: admin,
        params: { featureId: created.json!.id },
        body: { title: 'two\nlines' },
      }),
      422,
      'validation_failed',
      'title',
    );
    expectError(
      await call(projectsRoute.POST, 'POST /api/v1/projects', {
        token: admin,
        body: { name: 'nul\u0000', keyPrefix: 'NUL', repositoryUrl: 'https://github.com/omakase/x.git' },
      }),
      422,
      'validation_failed',
      'name',
    );
  });
});

describe('run event cursors', () => {
  it('refuses afterSeq beyond 2^31-1 (and negative or fractional) naming afterSeq', async () => {
    const demo = stack.storage.forOrg(stack.seeded.shop.orgId);
    const run = await demo.runs.create({ featureId: stack.seeded.shopFeatures[0]!.id, role: 'coder' });
    const page = (afterSeq: string) =>
      call(runEventsRoute.GET, `/api/v1/runs/${run.id}/events?afterSeq=${afterSeq}`, {
        token: admin,
        params: { runId: run.id },
      });
    for (const bad of [String(2 ** 31), '99999999999999999999', '-1', '1.5'])
      expectError(await page(bad), 422, 'validation_failed', 'afterSeq');
    expect((await page(String(2 ** 31 - 1))).json).toEqual({ events: [], nextAfterSeq: 2 ** 31 - 1 });
  });
});
