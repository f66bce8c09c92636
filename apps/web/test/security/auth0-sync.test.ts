/**
 * With Management API credentials set, member changes made through /api/v1 reach Auth0 (a
 * loopback fake at the network edge); when Auth0 fails, our change stands and the failure is audited.
 */
import { FAKE_CLIENT, type ManagementFake, startManagementFake } from '@omakase/auth/management/fake';
import { auth0ManagementSettings, EnvError } from '@omakase/config';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auditRoute from '@/app/api/v1/audit/route';
import * as acceptRoute from '@/app/api/v1/invitations/accept/route';
import * as invitationsRoute from '@/app/api/v1/invitations/route';
import * as memberRoute from '@/app/api/v1/members/[memberId]/route';
import * as resyncRoute from '@/app/api/v1/members/auth0-sync/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let fake: ManagementFake;
const t: Record<string, string> = {};
const ROLE_IDS = 'owner=rol_o, admin=rol_a, member=rol_m, viewer=rol_v';

beforeAll(async () => {
  stack = await startApiStack();
  fake = await startManagementFake();
  Object.assign(process.env, {
    AUTH0_MANAGEMENT_CLIENT_ID: FAKE_CLIENT.clientId,
    AUTH0_MANAGEMENT_CLIENT_SECRET: FAKE_CLIENT.clientSecret,
    AUTH0_MANAGEMENT_DOMAIN: fake.url,
    AUTH0_ROLE_IDS: ROLE_IDS,
  });
  t.owner = await userToken(stack.issuer.url, 'owner@demo.local', APP_BASE_URL);
  t.other = await userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL);
});
afterAll(async () => {
  await fake?.close();
  await stack?.stop();
});

/** Requests since the last look, without the token exchange. */
let seen = 0;
function newRequests() {
  const fresh = fake.requests.slice(seen).filter((r) => r.path !== '/oauth/token');
  seen = fake.requests.length;
  return fresh.map(({ method, path, body }) => ({ method, path, body }));
}

describe('Auth0 Management API sync', () => {
  let memberId: string;

  it('turns an invitation into an Auth0 organisation invitation whose ticket rides on our link', async () => {
    const created = await call(invitationsRoute.POST, 'POST /api/v1/invitations', {
      token: t.owner,
      body: { email: 'other@other.local', role: 'viewer' },
    });
    expect(created.status).toBe(201);
    expect(newRequests()).toEqual([
      {
        method: 'POST',
        path: '/api/v2/organizations/org_demo/invitations',
        body: {
          inviter: { name: 'Olivia Owner' },
          invitee: { email: 'other@other.local' },
          client_id: 'omakase-web',
          roles: ['rol_v'],
          ttl_sec: 7 * 24 * 3600,
          send_invitation_email: false,
        },
      },
    ]);
    const link = new URL(created.json!.acceptUrl);
    expect(link.searchParams.get('invitation')).toBe('abc');
    expect(link.searchParams.get('organization')).toBe('org_demo');

    const accepted = await call(acceptRoute.POST, 'POST /api/v1/invitations/accept', {
      token: t.other,
      body: { token: link.searchParams.get('token') },
    });
    expect(accepted.status).toBe(200);
    memberId = accepted.json!.member.id;
    const roles = '/api/v2/organizations/org_demo/members/local%7Cother/roles';
    expect(newRequests()).toEqual([
      { method: 'POST', path: '/api/v2/organizations/org_demo/members', body: { members: ['local|other'] } },
      { method: 'POST', path: roles, body: { roles: ['rol_v'] } },
      { method: 'DELETE', path: roles, body: { roles: ['rol_o', 'rol_a', 'rol_m'] } },
    ]);
  });

  it('updates the organisation roles on a role change', async () => {
    const changed = await call(memberRoute.PATCH, 'PATCH /api/v1/members/x', {
      token: t.owner,
      params: { memberId },
      body: { role: 'admin' },
    });
    expect(changed.status).toBe(200);
    const roles = '/api/v2/organizations/org_demo/members/local%7Cother/roles';
    expect(newRequests()).toEqual([
      { method: 'POST', path: roles, body: { roles: ['rol_a'] } },
      { method: 'DELETE', path: roles, body: { roles: ['rol_o', 'rol_m', 'rol_v'] } },
    ]);
  });

  it('keeps our change when Auth0 keeps failing, and audits the failed sync', async () => {
    fake.failNext(3, 503);
    const changed = await call(memberRoute.PATCH, 'PATCH /api/v1/members/x', {
      token: t.owner,
      params: { memberId },
      body: { role: 'member' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json!.role).toBe('member');
    expect(newRequests().map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    const member = await stack.storage
      .forOrg(stack.seeded.orgs.org_demo!.id)
      .members.getByUserId('local|other');
    expect(member!.role).toBe('member');
    const audit = await call(auditRoute.GET, '/api/v1/audit?action=auth0.sync_failed', { token: t.owner });
    expect(audit.json!.items).toEqual([
      expect.objectContaining({
        actor: 'user:local|owner',
        target: memberId,
        details: { operation: 'set_role', error: expect.stringMatching(/503 injected failure/) },
      }),
    ]);
  });

  it('holds no database transaction open while an Auth0 call hangs', async () => {
    fake.failNext(1, 0); // the first role call hangs until the adapter's timeout, then a retry succeeds
    const apiCalls = () => fake.requests.filter((r) => r.path !== '/oauth/token').length;
    const before = apiCalls();
    const changing = call(memberRoute.PATCH, 'PATCH /api/v1/members/x', {
      token: t.owner,
      params: { memberId },
      body: { role: 'viewer' },
    });
    // The hanging call has reached Auth0: whatever the request did in the database is over by now.
    await expect.poll(apiCalls, { timeout: 10_000 }).toBeGreaterThan(before);
    const sql = postgres(stack.database.url, { max: 1, onnotice: () => {} });
    try {
      const open = await sql<{ state: string }[]>`
        select state from pg_stat_activity
        where datname = ${stack.database.name} and state like 'idle in transaction%'`;
      expect(open).toEqual([]);
    } finally {
      await sql.end();
    }
    expect((await changing).json!.role).toBe('viewer');
    newRequests();
  });

  it('removes the organisation member on removal', async () => {
    const removed = await call(memberRoute.DELETE, 'DELETE /api/v1/members/x', {
      token: t.owner,
      params: { memberId },
    });
    expect(removed.status).toBe(204);
    expect(newRequests()).toEqual([
      {
        method: 'DELETE',
        path: '/api/v2/organizations/org_demo/members',
        body: { members: ['local|other'] },
      },
    ]);
  });
});

describe('re-sync', () => {
  it('answers 503 and audits when Auth0 fails, then sets the organisation to exactly our members', async () => {
    fake.failNext(3, 503);
    expectError(
      await call(resyncRoute.POST, 'POST /api/v1/members/auth0-sync', { token: t.owner }),
      503,
      'unavailable',
    );
    fake.members.set('org_demo', new Set(['local|admin', 'auth0|stale']));
    const synced = await call(resyncRoute.POST, 'POST /api/v1/members/auth0-sync', { token: t.owner });
    expect(synced.json).toEqual({ updated: 4, removed: 1 });
    expect([...fake.members.get('org_demo')!].sort()).toEqual([
      'local|admin',
      'local|member',
      'local|owner',
      'local|viewer',
    ]);
    const audit = await call(auditRoute.GET, '/api/v1/audit?limit=2', { token: t.owner });
    expect(
      (audit.json!.items as { action: string; details: object }[]).map((e) => [e.action, e.details]),
    ).toEqual([
      ['auth0.resynced', { updated: 4, removed: 1 }],
      ['auth0.sync_failed', { operation: 'resync', error: expect.stringMatching(/503 injected failure/) }],
    ]);
  });
});

describe('Management API settings', () => {
  it('are off without credentials and refuse half a configuration', () => {
    expect(auth0ManagementSettings({}, 'tenant.auth0.com')).toBeNull();
    expect(() => auth0ManagementSettings({ AUTH0_MANAGEMENT_CLIENT_ID: 'id' }, 'tenant.auth0.com')).toThrow(
      EnvError,
    );
    expect(() =>
      auth0ManagementSettings(
        {
          AUTH0_MANAGEMENT_CLIENT_ID: 'id',
          AUTH0_MANAGEMENT_CLIENT_SECRET: 's',
          AUTH0_ROLE_IDS: 'owner=rol_o',
        },
        'tenant.auth0.com',
      ),
    ).toThrow(/AUTH0_ROLE_IDS: must map every role/);
    expect(
      auth0ManagementSettings(
        { AUTH0_MANAGEMENT_CLIENT_ID: 'id', AUTH0_MANAGEMENT_CLIENT_SECRET: 's', AUTH0_ROLE_IDS: ROLE_IDS },
        'tenant.eu.auth0.com',
      ),
    ).toEqual({
      baseUrl: 'https://tenant.eu.auth0.com',
      clientId: 'id',
      clientSecret: 's',
      roleIds: { owner: 'rol_o', admin: 'rol_a', member: 'rol_m', viewer: 'rol_v' },
    });
  });
});
