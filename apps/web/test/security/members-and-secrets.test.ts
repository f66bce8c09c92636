import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { mintRunToken } from '@omakase/auth';
import { createSecurityStorage } from '@omakase/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as auditRoute from '@/app/api/v1/audit/route';
import * as acceptRoute from '@/app/api/v1/invitations/accept/route';
import * as invitationsRoute from '@/app/api/v1/invitations/route';
import * as memberRoute from '@/app/api/v1/members/[memberId]/route';
import * as leaveRoute from '@/app/api/v1/members/leave/route';
import * as membersRoute from '@/app/api/v1/members/route';
import * as projectRoute from '@/app/api/v1/projects/[projectId]/route';
import * as runCredentialsRoute from '@/app/api/v1/runs/[runId]/credentials/route';
import * as runEventsRoute from '@/app/api/v1/runs/[runId]/events/route';
import * as secretRoute from '@/app/api/v1/secrets/[name]/route';
import * as secretsRoute from '@/app/api/v1/secrets/route';
import { logger } from '@/server/logger';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
// Before any import: the web logger picks its destination when its module loads.
const logFile = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const file = `${mkdtempSync(`${process.env.TMPDIR ?? '/tmp'}/omakase-security-log-`)}/web.log`;
  process.env.OMAKASE_LOG_FILE = file;
  return file;
});
const RUN_SECRET = 'security-test-run-token-secret-0123456789';
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack();
  process.env.OMAKASE_MASTER_KEY = randomBytes(32).toString('base64');
  process.env.RUN_TOKEN_SECRET = RUN_SECRET;
  for (const who of ['owner', 'admin', 'member', 'viewer']) {
    t[who] = await userToken(stack.issuer.url, `${who}@demo.local`, APP_BASE_URL);
  }
  t.other = await userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL);
});
afterAll(() => stack?.stop());

const members = async (token = t.owner) =>
  (await call(membersRoute.GET, '/api/v1/members', { token })).json!.items as {
    id: string;
    userId: string;
    role: string;
  }[];
const memberOf = async (userId: string) => (await members()).find((m) => m.userId === userId)!;
const auditActions = async () =>
  ((await call(auditRoute.GET, '/api/v1/audit', { token: t.admin })).json!.items as { action: string }[]).map(
    (e) => e.action,
  );

describe('members and invitations', () => {
  it('binds an invitation to the invited email: another signed-in user cannot accept it (403)', async () => {
    const created = await call(invitationsRoute.POST, 'POST /api/v1/invitations', {
      token: t.owner,
      body: { email: 'someone@elsewhere.local', role: 'admin' },
    });
    expect(created.status).toBe(201);
    const token = new URL(created.json!.acceptUrl).searchParams.get('token')!;
    const refused = await call(acceptRoute.POST, 'POST /api/v1/invitations/accept', {
      token: t.other,
      body: { token },
    });
    expectError(refused, 403, 'forbidden');
    expect(refused.json!.error.message).toMatch(/different email address/);
    expect((await members()).map((m) => m.userId)).not.toContain('local|other');
    const listed = await call(invitationsRoute.GET, '/api/v1/invitations', { token: t.owner });
    expect(listed.json!.items.find((i: { id: string }) => i.id === created.json!.id)).toMatchObject({
      status: 'pending',
    });
  });

  it('invites by email; the invited user accepts and acts with the invited role', async () => {
    const created = await call(invitationsRoute.POST, 'POST /api/v1/invitations', {
      token: t.owner,
      body: { email: 'Other@Other.local', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ email: 'other@other.local', role: 'viewer', status: 'pending' });
    const token = new URL(created.json!.acceptUrl).searchParams.get('token')!;
    const accepted = await call(acceptRoute.POST, 'POST /api/v1/invitations/accept', {
      token: t.other,
      body: { token },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({
      organization: 'org_demo',
      member: { userId: 'local|other', role: 'viewer' },
    });
    expectError(
      await call(acceptRoute.POST, 'POST /api/v1/invitations/accept', { token: t.other, body: { token } }),
      404,
      'not_found',
    );
    const listed = await call(invitationsRoute.GET, '/api/v1/invitations', { token: t.owner });
    expect(listed.json!.items[0]).toMatchObject({ status: 'accepted' });
    expect(JSON.stringify(listed.json)).not.toContain(token);
  });

  it('changes roles, and a demotion takes effect on the next request with the same token', async () => {
    const admin = await memberOf('local|admin');
    const patch = (role: string) =>
      call(memberRoute.PATCH, `PATCH /api/v1/members/${admin.id}`, {
        token: t.owner,
        params: { memberId: admin.id },
        body: { role },
      });
    expect((await patch('viewer')).json).toMatchObject({ role: 'viewer' });
    expectError(await call(auditRoute.GET, '/api/v1/audit', { token: t.admin }), 403, 'forbidden');
    expect((await patch('admin')).status).toBe(200);
    expect((await call(auditRoute.GET, '/api/v1/audit', { token: t.admin })).status).toBe(200);
  });

  it('keeps at least one owner: demoting, removing or leaving as the last owner is a 409', async () => {
    const owner = await memberOf('local|owner');
    const params = { memberId: owner.id };
    expectError(
      await call(memberRoute.PATCH, 'PATCH /api/v1/members/x', {
        token: t.owner,
        params,
        body: { role: 'admin' },
      }),
      409,
      'conflict',
    );
    expectError(
      await call(memberRoute.DELETE, 'DELETE /api/v1/members/x', { token: t.owner, params }),
      409,
      'conflict',
    );
    expectError(
      await call(leaveRoute.POST, 'POST /api/v1/members/leave', { token: t.owner }),
      409,
      'conflict',
    );
    expect((await memberOf('local|owner')).role).toBe('owner');
  });

  it('removes a member, whose token then stops working here; a member can leave', async () => {
    const viewer = await memberOf('local|viewer');
    const removed = await call(memberRoute.DELETE, 'DELETE /api/v1/members/x', {
      token: t.owner,
      params: { memberId: viewer.id },
    });
    expect(removed.status).toBe(204);
    expectError(await call(membersRoute.GET, '/api/v1/members', { token: t.viewer }), 403, 'forbidden');
    expect((await call(leaveRoute.POST, 'POST /api/v1/members/leave', { token: t.member })).status).toBe(204);
    expect((await members()).map((m) => m.userId)).not.toContain('local|member');
  });
});

describe('secrets', () => {
  const planted = `sk-ant-planted-${randomBytes(12).toString('hex')}`;

  it('stores a secret encrypted, returns only metadata, and keeps it out of logs and run events', async () => {
    const saved = await call(secretsRoute.POST, 'POST /api/v1/secrets', {
      token: t.admin,
      body: { name: 'anthropic_api_key', value: planted },
    });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ name: 'anthropic_api_key', last4: planted.slice(-4) });
    const listed = await call(secretsRoute.GET, '/api/v1/secrets', { token: t.admin });
    expect(listed.json!.items).toHaveLength(1);
    expect(JSON.stringify([saved.json, listed.json])).not.toContain(planted);

    const security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
    const stored = await security.forOrg(stack.seeded.orgs.org_demo!.id).secrets.get('anthropic_api_key');
    await security.close();
    expect(stored!.ciphertext).toMatch(/^v1\./);
    expect(stored!.ciphertext).not.toContain(planted);

    // An agent echoes the key in its events: they are stored redacted.
    const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
    const featureId = stack.seeded.shopFeatures[0]!.id;
    const run = await demo.runs.create({ featureId, role: 'coder' });
    const runToken = await mintRunToken({ runId: run.id, orgId: demo.orgId, featureId }, RUN_SECRET);
    const appended = await call(runEventsRoute.POST, `POST /api/v1/runs/${run.id}/events`, {
      token: runToken,
      params: { runId: run.id },
      body: {
        events: [
          {
            seq: 1,
            type: 'tool_call',
            payload: { command: `echo ${planted}`, env: { KEY: planted } },
            occurredAt: new Date().toISOString(),
          },
        ],
      },
    });
    expect(appended.status).toBe(200);
    const events = await demo.events.list(run.id);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(planted);
    expect(JSON.stringify(events)).toContain('[REDACTED]');

    // Something careless logs it: by value, by field name, inside an error.
    logger.info({ note: `key is ${planted}`, apiKey: planted }, `leak ${planted}`);
    logger.error({ err: new Error(`failed with ${planted}`) }, 'boom');
    const log = await readFile(logFile, 'utf8');
    expect(log.split('\n').filter(Boolean).length).toBeGreaterThan(2);
    expect(log).not.toContain(planted);
    expect(log).toContain('[REDACTED]');
  });

  it("hands the org's model key to its own active run only, never to another org's run", async () => {
    const credentials = (runId: string, token: string) =>
      call(runCredentialsRoute.GET, `/api/v1/runs/${runId}/credentials`, { token, params: { runId } });
    const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
    const featureId = stack.seeded.shopFeatures[0]!.id;
    const run = await demo.runs.create({ featureId, role: 'coder' });
    const token = await mintRunToken({ runId: run.id, orgId: demo.orgId, featureId }, RUN_SECRET);
    const own = await credentials(run.id, token);
    expect(own.status).toBe(200);
    expect(own.json).toEqual({ anthropicApiKey: planted });
    expect(own.headers.get('cache-control')).toBe('no-store');

    // Another org saved nothing: its run gets null (the deployment's key applies), never ours.
    const other = stack.storage.forOrg(stack.seeded.orgs.org_other!.id);
    const otherFeature = stack.seeded.otherFeature;
    const otherRun = await other.runs.create({ featureId: otherFeature.id, role: 'coder' });
    const otherToken = await mintRunToken(
      { runId: otherRun.id, orgId: other.orgId, featureId: otherFeature.id },
      RUN_SECRET,
    );
    expect((await credentials(otherRun.id, otherToken)).json).toEqual({ anthropicApiKey: null });
    expectError(await credentials(run.id, otherToken), 403, 'forbidden');

    await demo.runs.update(run.id, { status: 'succeeded', finishedAt: new Date() });
    expectError(await credentials(run.id, token), 403, 'forbidden');
  });

  it('deletes a secret (404 the second time) and audits saves and deletes', async () => {
    const del = () =>
      call(secretRoute.DELETE, 'DELETE /api/v1/secrets/anthropic_api_key', {
        token: t.admin,
        params: { name: 'anthropic_api_key' },
      });
    expect((await del()).status).toBe(204);
    expectError(await del(), 404, 'not_found');
    expect(await auditActions()).toEqual(expect.arrayContaining(['secret.saved', 'secret.deleted']));
  });
});

describe('audit, CSRF and rate limits', () => {
  it('audits member changes and project deletion with the actor', async () => {
    const deleted = await call(projectRoute.DELETE, 'DELETE /api/v1/projects/x', {
      token: t.admin,
      params: { projectId: stack.seeded.shop.id },
    });
    expect(deleted.status).toBe(204);
    const entries = (await call(auditRoute.GET, '/api/v1/audit', { token: t.admin })).json!.items as {
      action: string;
      actor: string;
      target: string;
    }[];
    expect(entries[0]).toMatchObject({
      action: 'project.deleted',
      actor: 'user:local|admin',
      target: stack.seeded.shop.id,
    });
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'member.invited',
        'member.joined',
        'member.role_changed',
        'member.removed',
        'member.left',
      ]),
    );
  });

  it('refuses a cookie-authenticated mutation from another origin before authenticating', async () => {
    const res = await call(secretsRoute.POST, 'POST /api/v1/secrets', {
      body: { name: 'github_token', value: 'ghp_0123456789' },
      headers: { cookie: '__session=x', origin: 'https://evil.example' },
    });
    expectError(res, 403, 'forbidden');
    expect(res.json!.error.message).toMatch(/cross-site/);
  });
});
