/**
 * Project deletion and runs started or stopped through the API are audited in the change's own
 * transaction: a change that happened has exactly one entry; a refused one has none.
 */
import { createSecurityStorage } from '@omakase/db';
import type { AuditAction, SecurityStorage } from '@omakase/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as startRoute from '@/app/api/v1/features/[featureId]/start/route';
import * as projectRoute from '@/app/api/v1/projects/[projectId]/route';
import { call, expectError } from '../support/http';
import { userToken } from '../support/oidc';
import { APP_BASE_URL, type ApiStack, startApiStack } from '../support/stack';

let stack: ApiStack;
let security: SecurityStorage;
const t: Record<string, string> = {};

beforeAll(async () => {
  stack = await startApiStack();
  security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  for (const who of ['owner', 'viewer'])
    t[who] = await userToken(stack.issuer.url, `${who}@demo.local`, APP_BASE_URL);
});
afterAll(async () => {
  await security?.close();
  await stack?.stop();
});

const demo = () => stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
const entries = async (action: AuditAction, target: string) =>
  (await security.forOrg(stack.seeded.orgs.org_demo!.id).audit.list({ action, limit: 100 })).filter(
    (e) => e.target === target,
  );

describe('audit entries commit with their change', () => {
  it('a deleted project has exactly one entry; a refused deletion has none', async () => {
    const project = await demo().projects.create({
      name: 'to-delete',
      keyPrefix: 'DEL',
      repositoryUrl: 'file:///tmp/to-delete',
    });
    const remove = (token: string) =>
      call(projectRoute.DELETE, `DELETE /api/v1/projects/${project.id}`, {
        token,
        params: { projectId: project.id },
      });
    expectError(await remove(t.viewer!), 403, 'forbidden');
    expect(await entries('project.deleted', project.id)).toEqual([]);
    expect((await remove(t.owner!)).status).toBe(204);
    expectError(await remove(t.owner!), 404, 'not_found'); // already gone: no second entry
    expect(await entries('project.deleted', project.id)).toMatchObject([
      {
        action: 'project.deleted',
        actor: expect.stringMatching(/^user:/),
        details: { operation: 'deleteProject' },
      },
    ]);
  });

  it('a started feature has exactly one run.started entry; a start the pipeline refuses has none', async () => {
    const feature = await demo().features.create(stack.seeded.shop.id, { title: 'Audited start' });
    const start = () =>
      call(startRoute.POST, `POST /api/v1/features/${feature.id}/start`, {
        token: t.owner,
        params: { featureId: feature.id },
      });
    expect((await start()).status).toBe(200);
    expect((await start()).status).toBe(409); // already started: the change is refused, nothing audited
    expect(await entries('run.started', feature.id)).toHaveLength(1);
  });
});
