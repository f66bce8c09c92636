import type { Feature } from '@omakase/domain';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../src/seed/demo';
import { useStorage } from './helpers';

const { storage } = await useStorage();

function depth(feature: Feature, byId: Map<string, Feature>): number {
  return 1 + Math.max(0, ...feature.dependsOn.map((id) => depth(byId.get(id)!, byId)));
}

const repositoryPathFor = (orgId: string) => `/tmp/repos/${orgId}/demo-shop`;

describe('seedDemo', () => {
  it('seeds the directory orgs, members, projects and features once', async () => {
    const first = await seedDemo(storage, { repositoryPathFor });
    expect(first.seeded).toBe(true);
    const second = await seedDemo(storage, { repositoryPathFor });
    expect(second).toEqual({ seeded: false, orgIds: first.orgIds });

    const demo = storage.forOrg(first.orgIds.org_demo!);
    expect((await demo.members.list()).map((m) => `${m.userId}:${m.role}`)).toEqual([
      'local|owner:owner',
      'local|admin:admin',
      'local|member:member',
      'local|viewer:viewer',
    ]);
    const [project, ...others] = await demo.projects.list();
    expect(others).toEqual([]);
    expect(project).toMatchObject({
      name: 'demo-shop',
      keyPrefix: 'DEMO',
      repositoryUrl: `file:///tmp/repos/${first.orgIds.org_demo}/demo-shop`,
      defaultBranch: 'main',
      settings: { maxConcurrentAgents: 2, budgetPerFeatureUsd: 5 },
    });
    expect(project!.settings.commandAllowlist).toContain('npm test');

    const features = await demo.features.list(project!.id);
    expect(features).toHaveLength(12);
    expect(features.map((f) => f.key)).toEqual(Array.from({ length: 12 }, (_, i) => `DEMO-${i + 1}`));
    expect(features.every((f) => f.status === 'pending')).toBe(true);
    for (const f of features) expect(f.acceptanceCriteria.length).toBeGreaterThanOrEqual(2);
    const byId = new Map(features.map((f) => [f.id, f]));
    expect(Math.max(...features.map((f) => depth(f, byId)))).toBe(4);
    expect(new Set(features.map((f) => f.priority)).size).toBeGreaterThan(2);

    const other = storage.forOrg(first.orgIds.org_other!);
    const [otherProject] = await other.projects.list();
    expect(otherProject).toMatchObject({
      name: 'other-api',
      keyPrefix: 'OTH',
      repositoryUrl: `file:///tmp/repos/${first.orgIds.org_other}/demo-shop`,
    });
    expect(await other.features.list(otherProject!.id)).toHaveLength(3);
    const sandbox = storage.forOrg(first.orgIds.org_sandbox!);
    const [sandboxProject] = await sandbox.projects.list();
    expect(await sandbox.features.list(sandboxProject!.id)).toHaveLength(1);

    const owner = await storage.organizations.membershipsOf('local|owner');
    expect(owner.map((m) => [m.organization.externalId, m.member.role])).toEqual([
      ['org_demo', 'owner'],
      ['org_sandbox', 'admin'],
    ]);
  });
});
