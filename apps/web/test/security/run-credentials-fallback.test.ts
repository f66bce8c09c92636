/**
 * `GET /api/v1/runs/{id}/credentials` serves the deployment's own Anthropic key only to runs of
 * the orgs listed in OMAKASE_FALLBACK_CREDENTIAL_ORGS; any other org that saved no key gets null
 * (its runner has no model key: the platform's never reaches a tenant's task).
 */
import { randomBytes } from 'node:crypto';
import { mintRunToken } from '@omakase/auth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as runCredentialsRoute from '@/app/api/v1/runs/[runId]/credentials/route';
import { call } from '../support/http';
import { type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'fallback-test-run-token-secret-0123456789';
const DEPLOYMENT_KEY = 'sk-ant-deployment-fallback-0123456789';
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
  // Read on the route's first use, after seeding gave the orgs their ids.
  process.env.OMAKASE_MASTER_KEY = randomBytes(32).toString('base64');
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
  process.env.ANTHROPIC_API_KEY = DEPLOYMENT_KEY;
  process.env.OMAKASE_FALLBACK_CREDENTIAL_ORGS = `org_nobody, ${stack.seeded.orgs.org_demo!.id}`;
});
afterAll(() => stack?.stop());

async function credentialsOf(orgExternalId: string, featureId: string) {
  const store = stack.storage.forOrg(stack.seeded.orgs[orgExternalId]!.id);
  const run = await store.runs.create({ featureId: featureId as never, role: 'coder' });
  const token = await mintRunToken(
    { runId: run.id, orgId: store.orgId, featureId: featureId as never },
    RUN_SECRET,
  );
  return call(runCredentialsRoute.GET, `/api/v1/runs/${run.id}/credentials`, {
    token,
    params: { runId: run.id },
  });
}

it("hands the deployment's key to a listed org's run only", async () => {
  const listed = await credentialsOf('org_demo', stack.seeded.shopFeatures[0]!.id);
  expect(listed.status).toBe(200);
  expect(listed.json).toEqual({ anthropicApiKey: DEPLOYMENT_KEY });

  const unlisted = await credentialsOf('org_other', stack.seeded.otherFeature.id);
  expect(unlisted.status).toBe(200);
  expect(unlisted.json).toEqual({ anthropicApiKey: null });
  expect(JSON.stringify(unlisted.json)).not.toContain(DEPLOYMENT_KEY);
});
