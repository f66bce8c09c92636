/**
 * Bad input on every /api/v1 endpoint: invalid bodies generated against each route's zod schema
 * (anything the schema rejects), unparsable JSON, and garbage path ids. Every answer must be a
 * clear 4xx error envelope, never a 500, and nothing may be written.
 */
import { type MachineRouteSpec, machineRoutes, type RouteSpec, routes } from '@omakase/api-contract';
import { mintRunToken, RUN_MINT_PERMISSION, RUNNER_CLAIM_PERMISSION } from '@omakase/auth';
import { createSecurityStorage } from '@omakase/db';
import type { SecurityStorage } from '@omakase/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { machineToken } from '../support/oidc';
import { type ApiStack, startApiStack } from '../support/stack';
import { principalTokens } from './principals';
import { type DiskRoute, discoverRoutes } from './routes-on-disk';

let stack: ApiStack;
let security: SecurityStorage;
let ownerToken: string;
let runToken: string;
/** M2M tokens by the one permission each holds (the orchestrator's, a warm runner's). */
let machineTokens: Record<string, string>;
let disk: DiskRoute[];
let ids: Record<string, string>;
const CLEAR_ERRORS = [400, 404, 409, 413, 415, 422];

beforeAll(async () => {
  const orchestrator = { clientId: 'fuzz-orchestrator', clientSecret: 'fuzz-orchestrator-secret' };
  const warm = { clientId: 'fuzz-warm', clientSecret: 'fuzz-warm-secret' };
  stack = await startApiStack({
    machineClients: [
      { ...orchestrator, permissions: [RUN_MINT_PERMISSION] },
      { ...warm, org: 'org_demo', permissions: [RUNNER_CLAIM_PERMISSION] },
    ],
  });
  machineTokens = {
    [RUN_MINT_PERMISSION]: await machineToken(stack.issuer.url, 'omakase-api', orchestrator),
    [RUNNER_CLAIM_PERMISSION]: await machineToken(stack.issuer.url, 'omakase-api', warm),
  };
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

const SPECS: (RouteSpec | MachineRouteSpec)[] = [...Object.values(routes), ...Object.values(machineRoutes)];

/** The credential each route takes: a user's, the run's own token, or an M2M token with its permission. */
function tokenFor(spec: RouteSpec | MachineRouteSpec): string {
  if (!('credential' in spec)) return ownerToken;
  return spec.credential === 'run-token' ? runToken : machineTokens[spec.permission!]!;
}

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
    const targets = disk.filter((r) => r.method === 'POST' || r.method === 'PATCH');
    const exercised: string[] = [];
    for (const route of targets) {
      const spec = SPECS.find((s) => `${s.method} ${s.path}` === route.key);
      const schema = spec?.body as z.ZodType | undefined;
      if (!spec || !schema) continue;
      const token = tokenFor(spec);
      exercised.push(route.key);
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
    expect(exercised.length).toBeGreaterThanOrEqual(10);
    // Machine routes too, each with its own credential (run token, runs:claim, runs:mint).
    expect(exercised).toEqual(
      expect.arrayContaining([
        'POST /api/v1/runs/{runId}/events',
        'POST /api/v1/runner/claim',
        'POST /api/v1/runs/{runId}/token',
      ]),
    );
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
