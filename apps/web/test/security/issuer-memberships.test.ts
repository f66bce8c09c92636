/** The local issuer in `npm start` mode reads memberships from the database at every login. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecurityStorage } from '@omakase/db';
import { type LocalIssuer, startLocalIssuer, storageMemberships } from '@omakase/devstack/issuer';
import type { SecurityStorage } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let issuer: LocalIssuer;
let security: SecurityStorage;

beforeAll(async () => {
  stack = await startApiStack();
  issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: [APP_BASE_URL],
    dataDir: await mkdtemp(join(tmpdir(), 'omakase-db-issuer-')),
    memberships: storageMemberships(stack.storage),
  });
  security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
});
afterAll(async () => {
  await security?.close();
  await issuer?.stop();
  await stack?.stop();
});

const claimsOf = async (email: string) => {
  const token = await userToken(issuer.url, email, APP_BASE_URL);
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
};

describe('local issuer backed by database memberships', () => {
  it('issues the role the database holds, and refuses the login after removal', async () => {
    const demo = security.forOrg(stack.seeded.orgs.org_demo!.id);
    expect(await claimsOf('member@demo.local')).toMatchObject({
      org_id: 'org_demo',
      'https://omakase.dev/roles': ['member'],
    });

    const member = await demo.members.getByUserId('local|member');
    await demo.members.changeRole(member!.id, 'admin', { actor: 'test' });
    expect(await claimsOf('member@demo.local')).toMatchObject({
      org_id: 'org_demo',
      'https://omakase.dev/roles': ['admin'],
    });

    await demo.members.remove(member!.id, { actor: 'test', action: 'member.removed' });
    // No organisation left: the login is refused ("Not a member"), as with Auth0 Organizations.
    await expect(claimsOf('member@demo.local')).rejects.toThrow(/status 403/);
  });
});
