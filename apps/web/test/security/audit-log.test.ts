/** `/api/v1/audit`: newest first, cursor pages that neither skip nor repeat, action filter, admins only. */
import { createSecurityStorage } from '@omakase/db';
import type { AuditAction, SecurityStorage } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auditRoute from '@/app/api/v1/audit/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let security: SecurityStorage;
const t: Record<string, string> = {};
const planted: string[] = [];

beforeAll(async () => {
  stack = await startApiStack();
  security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  for (const who of ['admin', 'member'])
    t[who] = await userToken(stack.issuer.url, `${who}@demo.local`, APP_BASE_URL);
  t.other = await userToken(stack.issuer.url, 'other@other.local', APP_BASE_URL);
  const demo = security.forOrg(stack.seeded.orgs.org_demo!.id);
  const actions: AuditAction[] = [
    'member.invited',
    'run.started',
    'member.invited',
    'secret.saved',
    'run.started',
  ];
  for (const [i, action] of [...actions, ...actions].entries()) {
    planted.push((await demo.audit.record({ actor: 'user:test', action, target: `t${i}` })).id);
  }
  await security.forOrg(stack.seeded.orgs.org_other!.id).audit.record({
    actor: 'user:other',
    action: 'run.started',
    target: 'foreign',
  });
});
afterAll(async () => {
  await security?.close();
  await stack?.stop();
});

const page = (query: string, token = t.admin) => call(auditRoute.GET, `/api/v1/audit${query}`, { token });

describe('audit log API', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let query = '?limit=3';
    for (let pages = 0; pages < 10; pages++) {
      const res = await page(query);
      expect(res.status).toBe(200);
      expect(res.json!.items.length).toBeLessThanOrEqual(3);
      seen.push(...(res.json!.items as { id: string }[]).map((e) => e.id));
      if (!res.json!.nextBefore) break;
      query = `?limit=3&before=${res.json!.nextBefore}`;
    }
    // Ids are time-ordered; entries recorded within one millisecond may tie in time, not in id.
    expect(seen).toEqual([...planted].sort().reverse());
  });

  it('filters by action, in this organisation only', async () => {
    const res = await page('?action=run.started&limit=50');
    const items = res.json!.items as { action: string; target: string }[];
    expect(items.map((e) => e.target).sort()).toEqual(['t1', 't4', 't6', 't9']);
    expect(res.json!.nextBefore).toBeNull();
    const foreign = await page('?action=run.started', t.other);
    expect((foreign.json!.items as { target: string }[]).map((e) => e.target)).toEqual(['foreign']);
  });

  it('refuses unknown filters and callers below admin', async () => {
    expectError(await page('?action=drop.table'), 422, 'validation_failed', 'action');
    expectError(await page('?before=aud_nope'), 422, 'validation_failed', 'before');
    expectError(await page('?limit=0'), 422, 'validation_failed', 'limit');
    expectError(await page('', t.member), 403, 'forbidden');
  });
});
