import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routes } from '@omakase/api-contract';
import { createSecurityStorage } from '@omakase/db';
import { can, newId, ROLES, type Role } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiStack, startApiStack } from '../support/stack';
import { type Access, MATRIX, PRINCIPALS, type PrincipalName } from './matrix';
import { principalTokens, statusOf } from './principals';
import { type DiskRoute, discoverRoutes } from './routes-on-disk';

let stack: ApiStack;
let tokens: Record<PrincipalName, string | undefined>;
let disk: DiskRoute[];
let realIds: Record<string, string>;
const randomIds = () => ({
  projectId: newId('proj'),
  featureId: newId('feat'),
  runId: newId('run'),
  memberId: newId('mem'),
  invitationId: `inv_${newId('org').slice(4)}`,
  name: 'github_token',
});

beforeAll(async () => {
  stack = await startApiStack();
  process.env.API_RATE_LIMIT_PER_MINUTE = '100000';
  process.env.RUN_TOKEN_SECRET = 'matrix-run-token-secret-0123456789abcdef';
  tokens = await principalTokens(stack);
  disk = await discoverRoutes();
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const run = await demo.runs.create({ featureId: stack.seeded.shopFeatures[0]!.id, role: 'architect' });
  const viewer = await demo.members.getByUserId('local|viewer');
  const security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  const invitation = await security.forOrg(demo.orgId).invitations.create(
    {
      email: 'x@y.z',
      role: 'member',
      invitedBy: 'test',
      tokenHash: 'h'.repeat(64),
      expiresAt: new Date(Date.now() + 1e6),
    },
    { actor: 'test' },
  );
  await security.close();
  realIds = {
    projectId: stack.seeded.shop.id,
    featureId: stack.seeded.shopFeatures[0]!.id,
    runId: run.id,
    memberId: viewer!.id,
    invitationId: invitation.id,
    name: 'github_token',
  };
});
afterAll(() => stack?.stop());

const VALID_BODIES: Record<string, unknown> = {
  'PATCH /api/v1/members/{memberId}': { role: 'viewer' },
  'POST /api/v1/features/{featureId}/answer': { answer: 'yes' },
  'POST /api/v1/projects/{projectId}/features': { title: 'Injected' },
};

const RANK = (role: Role) => ROLES.indexOf(role);

/** What a principal must get: an exact status, or "allowed" (neither 401/403 nor 5xx). */
function expected(access: Access, who: PrincipalName, key: string): number | 'allowed' | '4xx' {
  if (access.kind === 'public') return 'allowed';
  if (access.kind === 'signature') return '4xx';
  if (who === 'anonymous') return 401;
  if (access.kind === 'run') return 401; // an identity token is not a run token
  if (access.kind === 'machine') return 403; // a user token never holds a machine-only permission
  if (access.kind === 'user') return 'allowed';
  if (key === 'POST /api/v1/members/leave') return who === 'owner' || who === 'foreign' ? 409 : 204;
  if (who === 'foreign') return key.includes('{') ? 404 : 'allowed';
  return RANK(who as Role) <= RANK(access.minRole) ? 'allowed' : 403;
}

describe('authorisation matrix', () => {
  it('has an entry for every route handler on disk, and no stale entries', () => {
    const onDisk = disk.map((r) => r.key);
    expect(
      onDisk.filter((k) => !(k in MATRIX)),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((k) => !onDisk.includes(k)),
      'entries without a route',
    ).toEqual([]);
  });

  it("agrees with the registry: each org route's minimum role is the lowest role the policy allows", () => {
    for (const spec of Object.values(routes)) {
      const access = MATRIX[`${spec.method} ${spec.path}`];
      expect(access, `${spec.operationId} has a matrix entry`).toBeDefined();
      if (access?.kind !== 'org') {
        expect((spec as { authentication?: string }).authentication).toBe('user');
        continue;
      }
      const lowest = [...ROLES].reverse().find((role) => can(role, spec.action));
      expect({ op: spec.operationId, role: access.minRole }).toEqual({ op: spec.operationId, role: lowest });
    }
  });

  it('answers every endpoint × principal as the matrix says', async () => {
    const failures: string[] = [];
    const leaveLast = [...disk].sort(
      (a, b) => Number(a.key.endsWith('/leave')) - Number(b.key.endsWith('/leave')),
    );
    for (const route of leaveLast) {
      const access = MATRIX[route.key]!;
      for (const who of PRINCIPALS) {
        const params = who === 'foreign' ? realIds : randomIds();
        // Foreign callers send valid bodies, so only tenancy (not validation) can refuse them.
        const body = who === 'foreign' ? VALID_BODIES[route.key] : undefined;
        const status = await statusOf(route.handler, route.method, route.path, {
          token: tokens[who],
          params,
          body,
        });
        const want = expected(access, who, route.key);
        const ok =
          want === 'allowed'
            ? status < 500 && status !== 401 && status !== 403
            : want === '4xx'
              ? status >= 400 && status < 500
              : status === want;
        if (!ok) failures.push(`${route.key} as ${who}: got ${status}, want ${want}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('pages and server actions', () => {
  const appDir = fileURLToPath(new URL('../../src/app', import.meta.url));

  async function files(dir: string, name: RegExp): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile() && name.test(e.name)).map((e) => join(e.parentPath, e.name));
  }

  it('every page resolves its caller (itself or through a layout), so it is authorised server-side', async () => {
    const unguarded: string[] = [];
    for (const page of await files(appDir, /^page\.tsx$/)) {
      let dir = join(page, '..');
      let guarded = false;
      while (!guarded && dir.startsWith(appDir)) {
        for (const candidate of ['page.tsx', 'layout.tsx']) {
          const text = await readFile(join(dir, candidate), 'utf8').catch(() => '');
          if (
            (candidate === 'layout.tsx' || dir === join(page, '..')) &&
            /getPageCaller|requirePageRole/.test(text)
          )
            guarded = true;
        }
        dir = join(dir, '..');
      }
      if (!guarded) unguarded.push(page.slice(appDir.length));
    }
    expect(unguarded).toEqual([]);
  });

  it('every server action authorises before acting', async () => {
    const unguarded: string[] = [];
    for (const file of await files(appDir, /\.tsx?$/)) {
      const text = await readFile(file, 'utf8');
      if (!/^['"]use server['"]/m.test(text)) continue;
      for (const match of text.matchAll(/export async function (\w+)\([^)]*\)[^{]*\{([\s\S]*?)\n\}/g)) {
        if (!/authori[sz]\w*\(|assertAllowed\(|requirePageRole\(/.test(match[2]!))
          unguarded.push(`${file}:${match[1]}`);
      }
    }
    expect(unguarded).toEqual([]);
  });
});
