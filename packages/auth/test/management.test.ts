/** The Auth0 Management adapter against a loopback fake: exact requests, token caching, retries. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Auth0ManagementError,
  auth0OrganizationDirectory,
  noopOrganizationDirectory,
  type OrganizationDirectory,
  reconcileOrganization,
} from '../src/management';
import { FAKE_CLIENT, type ManagementFake, startManagementFake } from '../src/management/fake';

const ROLE_IDS = { owner: 'rol_owner', admin: 'rol_admin', member: 'rol_member', viewer: 'rol_viewer' };
let fake: ManagementFake;
let directory: OrganizationDirectory;
const slept: number[] = [];

beforeEach(async () => {
  fake = await startManagementFake();
  slept.length = 0;
  directory = auth0OrganizationDirectory({
    baseUrl: fake.url,
    ...FAKE_CLIENT,
    roleIds: ROLE_IDS,
    invitationClientId: 'web-client',
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
});
afterEach(() => fake.close());

const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`);

describe('Auth0 organisation directory', () => {
  it('gets one client-credentials token and sends the exact Management API requests', async () => {
    const invitation = await directory.invite('org_abc', {
      email: 'new@example.com',
      role: 'admin',
      inviterName: 'Olivia Owner',
      ttlSeconds: 604_800,
    });
    await directory.setRole('org_abc', 'auth0|42', 'viewer');
    await directory.addMember('org_abc', 'auth0|7', 'member');
    await directory.removeMember('org_abc', 'auth0|42');

    expect(invitation).toEqual({ id: 'uinv_1', ticket: 'abc' });
    expect(fake.requests[0]).toEqual({
      method: 'POST',
      path: '/oauth/token',
      authorization: undefined,
      body: {
        grant_type: 'client_credentials',
        client_id: 'mgmt-client',
        client_secret: 'mgmt-secret',
        audience: `${fake.url}/api/v2/`,
      },
    });
    expect(fake.requests.slice(1).map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: 'POST',
        path: '/api/v2/organizations/org_abc/invitations',
        body: {
          inviter: { name: 'Olivia Owner' },
          invitee: { email: 'new@example.com' },
          client_id: 'web-client',
          roles: ['rol_admin'],
          ttl_sec: 604_800,
          send_invitation_email: false,
        },
      },
      {
        method: 'POST',
        path: '/api/v2/organizations/org_abc/members/auth0%7C42/roles',
        body: { roles: ['rol_viewer'] },
      },
      {
        method: 'DELETE',
        path: '/api/v2/organizations/org_abc/members/auth0%7C42/roles',
        body: { roles: ['rol_owner', 'rol_admin', 'rol_member'] },
      },
      { method: 'POST', path: '/api/v2/organizations/org_abc/members', body: { members: ['auth0|7'] } },
      {
        method: 'POST',
        path: '/api/v2/organizations/org_abc/members/auth0%7C7/roles',
        body: { roles: ['rol_member'] },
      },
      {
        method: 'DELETE',
        path: '/api/v2/organizations/org_abc/members/auth0%7C7/roles',
        body: { roles: ['rol_owner', 'rol_admin', 'rol_viewer'] },
      },
      { method: 'DELETE', path: '/api/v2/organizations/org_abc/members', body: { members: ['auth0|42'] } },
    ]);
    expect(fake.requests.slice(1).every((r) => r.authorization === 'Bearer mgmt-token-1')).toBe(true);
    expect(fake.tokensIssued).toBe(1);
  });

  it('requests a new token once the cached one is about to expire', async () => {
    fake.tokenLifetimeSeconds = 30; // inside the one-minute safety margin: never reused
    await directory.removeMember('org_abc', 'u1');
    await directory.removeMember('org_abc', 'u2');
    expect(calls().filter((c) => c === 'POST /oauth/token')).toHaveLength(2);
  });

  it('shares one token request between concurrent calls', async () => {
    await Promise.all([directory.removeMember('org_abc', 'u1'), directory.removeMember('org_abc', 'u2')]);
    expect(fake.tokensIssued).toBe(1);
  });

  it('retries 429 (honouring Retry-After) and 5xx, then succeeds', async () => {
    fake.failNext(1, 429, { 'retry-after': '2' });
    await directory.removeMember('org_abc', 'u1');
    fake.failNext(1, 503);
    await directory.removeMember('org_abc', 'u2');
    expect(slept).toEqual([2000, 200]);
    expect(calls().filter((c) => c.startsWith('DELETE'))).toHaveLength(4);
  });

  it('renews a rejected token once without spending an attempt', async () => {
    await directory.removeMember('org_abc', 'u1');
    fake.tokensIssued++; // the fake now only accepts a token the adapter has not seen
    await directory.removeMember('org_abc', 'u2');
    expect(calls()).toEqual([
      'POST /oauth/token',
      'DELETE /api/v2/organizations/org_abc/members',
      'DELETE /api/v2/organizations/org_abc/members',
      'POST /oauth/token',
      'DELETE /api/v2/organizations/org_abc/members',
    ]);
  });

  it('gives up after the attempts with the status, and does not retry client errors', async () => {
    fake.failNext(5, 503);
    await expect(directory.removeMember('org_abc', 'u1')).rejects.toMatchObject({
      name: 'Auth0ManagementError',
      status: 503,
    });
    expect(calls().filter((c) => c.startsWith('DELETE'))).toHaveLength(3);

    fake.failNext(1, 404);
    const error = await directory.setRole('org_abc', 'u1', 'owner').catch((e) => e);
    expect(error).toBeInstanceOf(Auth0ManagementError);
    expect(error.message).toMatch(/404 injected failure/);
    expect(calls().filter((c) => c.endsWith('/roles'))).toHaveLength(1);
  });

  it('bounds each request with a timeout and retries it like a network error', async () => {
    const impatient = auth0OrganizationDirectory({
      baseUrl: fake.url,
      ...FAKE_CLIENT,
      roleIds: ROLE_IDS,
      invitationClientId: 'web-client',
      timeoutMs: 100,
      sleep: async () => {},
    });
    fake.failNext(2, 0);
    await impatient.removeMember('org_abc', 'u1');
    fake.failNext(3, 0);
    await expect(impatient.removeMember('org_abc', 'u2')).rejects.toThrow(/timeout|aborted/i);
    expect(calls().filter((c) => c.startsWith('DELETE'))).toHaveLength(6);
  });

  it('refuses wrong client credentials without retrying', async () => {
    const wrong = auth0OrganizationDirectory({
      baseUrl: fake.url,
      clientId: 'mgmt-client',
      clientSecret: 'nope',
      roleIds: ROLE_IDS,
      invitationClientId: 'web-client',
      sleep: async () => {},
    });
    await expect(wrong.removeMember('org_abc', 'u1')).rejects.toThrow(/token request failed: Unauthorized/);
    expect(calls()).toEqual(['POST /oauth/token']);
  });

  it('lists every page of organisation members', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `auth0|${String(i).padStart(3, '0')}`);
    fake.members.set('org_abc', new Set(ids));
    expect(await directory.listMembers('org_abc')).toEqual(ids);
    expect(calls().filter((c) => c.startsWith('GET'))).toEqual(
      [0, 1, 2].map(
        (p) => `GET /api/v2/organizations/org_abc/members?page=${p}&per_page=50&include_totals=true`,
      ),
    );
  });

  it('reconciles an organisation to our memberships: adds, re-roles, removes the rest', async () => {
    fake.members.set('org_abc', new Set(['auth0|kept', 'auth0|stale']));
    const result = await reconcileOrganization(directory, 'org_abc', [
      { userId: 'auth0|kept', role: 'admin' },
      { userId: 'auth0|new', role: 'viewer' },
    ]);
    expect(result).toEqual({ updated: 2, removed: 1 });
    expect([...fake.members.get('org_abc')!].sort()).toEqual(['auth0|kept', 'auth0|new']);
    expect(calls().slice(1)).toEqual([
      'GET /api/v2/organizations/org_abc/members?page=0&per_page=50&include_totals=true',
      'POST /api/v2/organizations/org_abc/members/auth0%7Ckept/roles',
      'DELETE /api/v2/organizations/org_abc/members/auth0%7Ckept/roles',
      'POST /api/v2/organizations/org_abc/members',
      'POST /api/v2/organizations/org_abc/members/auth0%7Cnew/roles',
      'DELETE /api/v2/organizations/org_abc/members/auth0%7Cnew/roles',
      'DELETE /api/v2/organizations/org_abc/members',
    ]);
    expect(fake.requests.at(-1)!.body).toEqual({ members: ['auth0|stale'] });
  });

  it('is a no-op without credentials', async () => {
    expect(noopOrganizationDirectory.enabled).toBe(false);
    await expect(
      noopOrganizationDirectory.invite('org_abc', {
        email: 'a@b.c',
        role: 'viewer',
        inviterName: 'x',
        ttlSeconds: 1,
      }),
    ).resolves.toBeNull();
  });
});
