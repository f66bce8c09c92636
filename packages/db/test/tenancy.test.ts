import { describe, expect, it } from 'vitest';
import { newOrg, newProject, useStorage } from './helpers';

const { storage } = await useStorage();

/** Org A's data, and org B's store trying to reach it with A's ids. */
async function twoTenants() {
  const a = await newOrg(storage, 'A');
  const b = await newOrg(storage, 'B');
  const projectId = await newProject(a, 'AAA');
  const feature = await a.features.create(projectId, { title: 'secret', description: 'of A' });
  const run = await a.runs.create({ featureId: feature.id, role: 'coder' });
  await a.runs.update(run.id, { costUsd: 3 });
  await a.events.append(run.id, [{ type: 'thought', payload: { text: 'A only' } }]);
  await a.members.add({ userId: 'user|a', email: 'a@a', name: 'A', role: 'owner' });
  return { a, b, projectId, feature, run };
}

describe('tenant isolation', () => {
  it('another org cannot read org A data with its ids', async () => {
    const { b, projectId, feature, run } = await twoTenants();
    expect(await b.projects.get(projectId)).toBeNull();
    expect(await b.projects.list()).toEqual([]);
    expect(await b.features.get(feature.id)).toBeNull();
    expect(await b.features.list(projectId)).toEqual([]);
    expect(await b.runs.get(run.id)).toBeNull();
    expect(await b.runs.listByFeature(feature.id)).toEqual([]);
    expect(await b.runs.costByFeature(feature.id)).toMatchObject({ costUsd: 0, runs: 0 });
    expect(await b.runs.costByProject(projectId)).toMatchObject({ costUsd: 0, runs: 0 });
    expect(await b.events.list(run.id)).toEqual([]);
    expect(await b.members.list()).toEqual([]);
    expect(await b.members.getByUserId('user|a')).toBeNull();
  });

  it('another org cannot modify or delete org A data', async () => {
    const { a, b, projectId, feature, run } = await twoTenants();
    expect(await b.projects.update(projectId, { name: 'hijacked' })).toBeNull();
    expect(await b.projects.delete(projectId)).toBe(false);
    expect(await b.features.update(feature.id, { title: 'hijacked', status: 'cancelled' })).toBeNull();
    expect(await b.features.delete(feature.id)).toBe(false);
    expect(await b.runs.update(run.id, { costUsd: 0 })).toBeNull();
    await expect(b.features.create(projectId, { title: 'planted' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(b.runs.create({ featureId: feature.id, role: 'coder' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(b.events.append(run.id, [{ type: 'error', payload: {} }])).rejects.toMatchObject({
      code: 'not_found',
    });

    expect((await a.projects.get(projectId))!.name).not.toBe('hijacked');
    expect(await a.features.get(feature.id)).toMatchObject({ title: 'secret', status: 'pending' });
    expect(await a.runs.get(run.id)).toMatchObject({ costUsd: 3 });
    expect((await a.events.list(run.id)).map((e) => e.seq)).toEqual([1]);
    expect((await a.features.list(projectId)).map((f) => f.title)).toEqual(['secret']);
  });

  it('the database rejects dependencies that cross tenants', async () => {
    const { b, feature } = await twoTenants();
    const bProject = await newProject(b, 'BBB');
    await expect(b.features.create(bProject, { title: 'x', dependsOn: [feature.id] })).rejects.toMatchObject({
      code: 'invalid_reference',
      constraint: 'feature_dependencies_depends_on_fk',
    });
    const own = await b.features.create(bProject, { title: 'own' });
    await expect(b.features.update(own.id, { dependsOn: [feature.id] })).rejects.toMatchObject({
      code: 'invalid_reference',
    });
    expect((await b.features.get(own.id))!.dependsOn).toEqual([]);
  });
});
