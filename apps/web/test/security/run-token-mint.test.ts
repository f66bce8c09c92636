/**
 * `POST /api/v1/runs/{runId}/token`: only the orchestrator's M2M client (`runs:mint`, no org)
 * gets a run token, only for a live run of the org it names, and the token opens that run only.
 */
import { RUN_MINT_PERMISSION, RUNNER_CLAIM_PERMISSION } from '@omakase/auth';
import { type AgentRun, newId, type TenantStore } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as specRoute from '@/app/api/v1/runs/[runId]/spec/route';
import * as tokenRoute from '@/app/api/v1/runs/[runId]/token/route';
import { call, expectError } from '../support/http';
import { machineToken, userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

const ORCHESTRATOR = { clientId: 'test-orchestrator', clientSecret: 'test-orchestrator-secret' };
const OTHER_MACHINE = { clientId: 'test-warm', clientSecret: 'test-warm-secret' };

let stack: ApiStack;
let demo: TenantStore;
let run: AgentRun;
let orchestratorToken: string;

beforeAll(async () => {
  stack = await startApiStack({
    machineClients: [
      { ...ORCHESTRATOR, permissions: [RUN_MINT_PERMISSION] },
      { ...OTHER_MACHINE, org: 'org_demo', permissions: [RUNNER_CLAIM_PERMISSION] },
    ],
  });
  Object.assign(process.env, {
    RUN_TOKEN_SECRET: 'mint-test-run-token-secret-0123456789abc',
    API_RATE_LIMIT_PER_MINUTE: '100000',
  });
  demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  run = await demo.runs.create({ featureId: stack.seeded.shopFeatures[0]!.id, role: 'coder' });
  orchestratorToken = await machineToken(stack.issuer.url, 'omakase-api', ORCHESTRATOR);
});
afterAll(() => stack?.stop());

/** `token: null` sends no credentials at all. */
const mint = (runId: string, body: unknown, token: string | null = orchestratorToken) =>
  call(tokenRoute.POST, `POST /api/v1/runs/${runId}/token`, {
    token: token ?? undefined,
    params: { runId },
    body,
  });

describe('run token minting', () => {
  it('gives the orchestrator a token that opens exactly that run, never cached', async () => {
    const minted = await mint(run.id, { orgId: run.orgId });
    expect(minted.status).toBe(200);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const lifetimeMs = Date.parse(minted.json!.expiresAt) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(3600_000);
    expect(lifetimeMs).toBeLessThanOrEqual(2 * 3600_000);

    const spec = (runId: string) =>
      call(specRoute.GET, `/api/v1/runs/${runId}/spec`, { token: minted.json!.runToken, params: { runId } });
    expect((await spec(run.id)).json!.feature.title).toBe('Shopping cart');
    const sibling = await demo.runs.create({ featureId: run.featureId, role: 'reviewer' });
    expectError(await spec(sibling.id), 403, 'forbidden');
  });

  it('refuses every caller without runs:mint', async () => {
    expectError(await mint(run.id, { orgId: run.orgId }, null), 401, 'unauthenticated');
    const warm = await machineToken(stack.issuer.url, 'omakase-api', OTHER_MACHINE);
    expectError(await mint(run.id, { orgId: run.orgId }, warm), 403, 'forbidden');
    const automation = await machineToken(stack.issuer.url);
    expectError(await mint(run.id, { orgId: run.orgId }, automation), 403, 'forbidden');
    const owner = await userToken(stack.issuer.url, 'owner@demo.local', APP_BASE_URL);
    expectError(await mint(run.id, { orgId: run.orgId }, owner), 403, 'forbidden');
  });

  it('answers 404 when the run is not in the named org, and 422 naming a malformed field', async () => {
    const other = stack.seeded.orgs.org_other!.id;
    expectError(await mint(run.id, { orgId: other }), 404, 'not_found');
    expectError(await mint(newId('run'), { orgId: run.orgId }), 404, 'not_found');
    expectError(await mint(run.id, { orgId: 'acme' }), 422, 'validation_failed', 'orgId');
    expectError(await mint(run.id, {}), 422, 'validation_failed', 'orgId');
    expectError(await mint('not-a-run', { orgId: run.orgId }), 422, 'validation_failed', 'runId');
  });

  it('issues nothing for a run that has ended', async () => {
    const ended = await demo.runs.create({ featureId: run.featureId, role: 'tester' });
    await demo.runs.update(ended.id, { status: 'cancelled', finishedAt: new Date() });
    const refused = await mint(ended.id, { orgId: ended.orgId });
    expectError(refused, 409, 'conflict');
    expect(refused.json!.error.message).toMatch(/ended \(cancelled\)/);
  });
});
