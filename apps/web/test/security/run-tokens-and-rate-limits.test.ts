import { mintRunToken } from '@omakase/auth';
import type { AgentRun } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as projectsRoute from '@/app/api/v1/projects/route';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import * as specRoute from '@/app/api/v1/runs/[runId]/spec/route';
import { PEER_HEADER, peerStamp } from '@/server/security/client-address';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'run-token-test-secret-0123456789abcdefgh';
let stack: ApiStack;
let runA: AgentRun;
let runB: AgentRun;
let tokenA: string;

beforeAll(async () => {
  stack = await startApiStack();
  Object.assign(process.env, { RUN_TOKEN_SECRET: RUN_SECRET, API_RATE_LIMIT_PER_MINUTE: '3' });
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const [cart, checkout] = stack.seeded.shopFeatures;
  runA = await demo.runs.create({ featureId: cart!.id, role: 'coder' });
  runB = await demo.runs.create({ featureId: checkout!.id, role: 'coder' });
  tokenA = await mintRunToken({ runId: runA.id, orgId: demo.orgId, featureId: cart!.id }, RUN_SECRET);
});
afterAll(() => stack?.stop());

// Each call from its own client address, so only the bucket under test is drained.
let ip = 0;
const from = () => ({ [PEER_HEADER]: peerStamp(`198.51.100.${++ip}`) });
const spec = (runId: string, token?: string) =>
  call(specRoute.GET, `/api/v1/runs/${runId}/spec`, { token, params: { runId }, headers: from() });
const append = (runId: string, seq: number) =>
  call(runEventsRoute.POST, `POST /api/v1/runs/${runId}/events`, {
    token: tokenA,
    params: { runId },
    headers: from(),
    body: {
      events: [{ seq, type: 'thought', payload: { text: 'hi' }, occurredAt: new Date().toISOString() }],
    },
  });

describe('run tokens', () => {
  it("read only their own run's feature and append only their own events", async () => {
    const own = await spec(runA.id, tokenA);
    expect(own.status).toBe(200);
    expect(own.json!.feature.title).toBe('Shopping cart');
    expectError(await spec(runB.id, tokenA), 403, 'forbidden');
    expect((await append(runA.id, 1)).status).toBe(200);
    expectError(await append(runB.id, 1), 403, 'forbidden');
    expect(await stack.storage.forOrg(runB.orgId).events.list(runB.id)).toEqual([]);
  });

  it('open nothing in the user API', async () => {
    const res = await call(projectsRoute.GET, '/api/v1/projects', { token: tokenA, headers: from() });
    expect(res.status).toBe(401);
  });

  it('stop working when the run ends', async () => {
    await stack.storage
      .forOrg(runA.orgId)
      .runs.update(runA.id, { status: 'succeeded', finishedAt: new Date() });
    expectError(await spec(runA.id, tokenA), 403, 'forbidden');
    expectError(await append(runA.id, 2), 403, 'forbidden');
    expect(await stack.storage.forOrg(runA.orgId).events.list(runA.id)).toHaveLength(1);
  });
});

describe('rate limits (per org and per client IP, across instances)', () => {
  it('answers 429 with Retry-After once an org has spent its budget', async () => {
    const token = await userToken(stack.issuer.url, 'viewer@demo.local', APP_BASE_URL);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await projectsRoute.GET(
        new Request(`${APP_BASE_URL}/api/v1/projects`, {
          headers: { authorization: `Bearer ${token}`, ...from() },
        }),
        { params: Promise.resolve({}) },
      );
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await last!.json()).error.code).toBe('rate_limited');
  });

  it('limits unauthenticated callers per client IP before any token check', async () => {
    const headers = { [PEER_HEADER]: peerStamp('203.0.113.7') };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call(projectsRoute.GET, '/api/v1/projects', { headers })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('holds the budget across instances: each request on a "fresh" process still counts', async () => {
    const headers = { [PEER_HEADER]: peerStamp('192.0.2.55') }; // an address no other test uses
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      // What another web instance would have: none of this process's in-memory buckets.
      delete (globalThis as { __omakaseRateLimits?: unknown }).__omakaseRateLimits;
      const res = await projectsRoute.GET(new Request(`${APP_BASE_URL}/api/v1/projects`, { headers }), {
        params: Promise.resolve({}),
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});
