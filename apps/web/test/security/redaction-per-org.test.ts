/**
 * Secret redaction is per organisation: one org's saved value is scrubbed from its own run
 * events and never blanks the same text in another org's; a rotated or deleted value is dropped.
 * Real route handlers on real Postgres.
 */
import { randomBytes } from 'node:crypto';
import { mintRunToken } from '@omakase/auth';
import type { FeatureId, OrgId } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import * as secretRoute from '@/app/api/v1/secrets/[name]/route';
import * as secretsRoute from '@/app/api/v1/secrets/route';
import { call } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

const RUN_SECRET = 'redaction-test-run-token-secret-0123456789';
let stack: ApiStack;
let admin: string;
let seq = 0;

beforeAll(async () => {
  stack = await startApiStack();
  process.env.OMAKASE_MASTER_KEY = randomBytes(32).toString('base64');
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
  admin = await userToken(stack.issuer.url, 'admin@demo.local', APP_BASE_URL);
});
afterAll(() => stack?.stop());

/** One event from a fresh run of the org's feature, as stored. */
async function storedEventText(orgId: OrgId, featureId: FeatureId, text: string): Promise<string> {
  const tenant = stack.storage.forOrg(orgId);
  const run = await tenant.runs.create({ featureId, role: 'coder' });
  const token = await mintRunToken({ runId: run.id, orgId, featureId }, RUN_SECRET);
  const appended = await call(runEventsRoute.POST, `POST /api/v1/runs/${run.id}/events`, {
    token,
    params: { runId: run.id },
    body: {
      events: [{ seq: ++seq, type: 'thought', payload: { text }, occurredAt: new Date().toISOString() }],
    },
  });
  expect(appended.status).toBe(200);
  const [event] = await tenant.events.list(run.id);
  return String(event!.payload.text);
}

const saveGithubToken = async (value: string) =>
  expect(
    (
      await call(secretsRoute.POST, 'POST /api/v1/secrets', {
        token: admin,
        body: { name: 'github_token', value },
      })
    ).status,
  ).toBe(200);

describe('redaction per organisation', () => {
  it("scrubs org A's secret from A's events only; rotation and deletion drop the old value", async () => {
    const a = () => ({ orgId: stack.seeded.orgs.org_demo!.id, featureId: stack.seeded.shopFeatures[0]!.id });
    const b = { orgId: stack.seeded.orgs.org_other!.id, featureId: stack.seeded.otherFeature.id };
    await saveGithubToken('password123');

    expect(await storedEventText(a().orgId, a().featureId, 'the password123 works')).toBe(
      'the [REDACTED] works',
    );
    expect(await storedEventText(b.orgId, b.featureId, 'the password123 works')).toBe(
      'the password123 works',
    );

    await saveGithubToken('rotated-value-0456');
    expect(await storedEventText(a().orgId, a().featureId, 'password123 rotated-value-0456')).toBe(
      'password123 [REDACTED]',
    );

    const deleted = await call(secretRoute.DELETE, 'DELETE /api/v1/secrets/github_token', {
      token: admin,
      params: { name: 'github_token' },
    });
    expect(deleted.status).toBe(204);
    expect(await storedEventText(a().orgId, a().featureId, 'rotated-value-0456')).toBe('rotated-value-0456');
  });
});
