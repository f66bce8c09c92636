/**
 * Bad input on every /api/v1 endpoint: invalid bodies generated against each route's zod schema
 * (anything the schema rejects), unparsable JSON, and garbage path ids. Every answer must be a
 * clear 4xx error envelope, never a 500, and nothing may be written.
 */
import { type RouteSpec, RunnerEventBatch, RunnerResult, routes } from '@omakase/api-contract';
import { mintRunToken } from '@omakase/auth';
import { createSecurityStorage } from '@omakase/db';
import type { SecurityStorage } from '@omakase/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type ApiStack, startApiStack } from '../support/stack';
import { principalTokens } from './principals';
import { type DiskRoute, discoverRoutes } from './routes-on-disk';

let stack: ApiStack;
let security: SecurityStorage;
let ownerToken: string;
let runToken: string;
let disk: DiskRoute[];
let ids: Record<string, string>;
const CLEAR_ERRORS = [400, 404, 409, 413, 415, 422];

beforeAll(async () => {
  stack = await startApiStack();
  Object.assign(process.env, {
    RUN_TOKEN_SECRET: 'fuzz-run-token-secret-0123456789abcdef',
    API_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  ownerToken = (await principalTokens(stack)).owner!;
  security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  disk = await discoverRoutes();
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const feature = stack.seeded.shopFeatures[0]!;
  const run = await demo.runs.create({ featureId: feature.id, role: 'coder' });
  runToken = await mintRunToken(
    { runId: run.id, orgId: demo.orgId, featureId: feature.id },
    process.env.RUN_TOKEN_SECRET!,
  );
  const owner = await demo.members.getByUserId('local|owner');
  ids = {
    projectId: stack.seeded.shop.id,
    featureId: feature.id,
    runId: run.id,
    memberId: owner!.id,
    name: 'github_token',
  };
});
afterAll(async () => {
  await security?.close();
  await stack?.stop();
});

/** Everything the API could have written, for the demo org. */
async function snapshot(): Promise<string> {
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const sec = security.forOrg(demo.orgId);
  const projects = await demo.projects.list();
  const features = await Promise.all(projects.map((p) => demo.features.list(p.id)));
  return JSON.stringify([
    projects,
    features,
    await demo.members.list(),
    await demo.events.list(ids.runId as never),
    await demo.runs.listByFeature(ids.featureId as never),
    await sec.invitations.list(),
    await sec.secrets.list(),
    await sec.audit.list({ limit: 500 }),
  ]);
}

const RUNNER_BODIES: Record<string, z.ZodType> = {
  'POST /api/v1/runs/{runId}/events': RunnerEventBatch,
  'POST /api/v1/runs/{runId}/result': RunnerResult,
};

/** JSON values the schema refuses: arbitrary values, and objects with random or near-miss keys. */
const invalidFor = (schema: z.ZodType) =>
  fc
    .oneof(
      fc.jsonValue(),
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
      fc.record({ name: fc.jsonValue(), role: fc.jsonValue(), value: fc.jsonValue(), title: fc.jsonValue() }),
    )
    .filter((value) => !schema.safeParse(value).success);

async function send(route: DiskRoute, token: string, params: Record<string, string>, raw: string) {
  const url = new URL(
    route.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? k)),
    'http://localhost:3000',
  );
  const response = await route.handler(
    new Request(url, {
      method: route.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: raw,
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as { error?: { code?: string; message?: string } }) : null,
  };
}

function expectClearError(
  result: { status: number; body: { error?: { code?: string; message?: string } } | null },
  what: string,
) {
  expect(CLEAR_ERRORS, `${what} → ${result.status} ${JSON.stringify(result.body)}`).toContain(result.status);
  expect(typeof result.body?.error?.code, what).toBe('string');
  expect(result.body?.error?.message?.length, what).toBeGreaterThan(0);
}

describe('fuzzing every /api/v1 endpoint with invalid input', () => {
  it('answers invalid bodies with a clear 4xx and writes nothing', async () => {
    const before = await snapshot();
    const specs = Object.values(routes) as RouteSpec[];
    const targets = disk.filter((r) => r.method === 'POST' || r.method === 'PATCH');
    let exercised = 0;
    for (const route of targets) {
      const spec = specs.find((s) => `${s.method} ${s.path}` === route.key);
      const schema = spec?.body ?? RUNNER_BODIES[route.key];
      if (!schema) continue;
      const token = RUNNER_BODIES[route.key] ? runToken : ownerToken;
      exercised++;
      await fc.assert(
        fc.asyncProperty(invalidFor(schema), async (payload) => {
          expectClearError(
            await send(route, token, ids, JSON.stringify(payload)),
            `${route.key} ${JSON.stringify(payload)}`,
          );
        }),
        { numRuns: 25 },
      );
      for (const raw of ['{', '', 'null', '[]', '"x"', `{"a":${'['.repeat(50)}`]) {
        expectClearError(await send(route, token, ids, raw), `${route.key} raw ${raw}`);
      }
    }
    expect(exercised).toBeGreaterThanOrEqual(10);
    expect(await snapshot()).toBe(before);
  });

  it('answers garbage path ids on mutating endpoints with 404 and writes nothing', async () => {
    const before = await snapshot();
    const targets = disk.filter(
      (r) => r.path.includes('{') && r.method !== 'GET' && !r.path.includes('{runId}'),
    );
    for (const route of targets) {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 40 }), async (garbage) => {
          const params = Object.fromEntries(Object.keys(ids).map((k) => [k, `${garbage}x`]));
          const result = await send(route, ownerToken, params, '{}');
          expectClearError(result, `${route.key} id=${garbage}`);
          expect([404, 422]).toContain(result.status);
        }),
        { numRuns: 10 },
      );
    }
    expect(await snapshot()).toBe(before);
  });
});
