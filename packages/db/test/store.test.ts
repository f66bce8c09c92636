import type { FeatureId } from '@omakase/domain';
import { describe, expect, it } from 'vitest';
import { StorageError } from '../src/errors';
import { newOrg, newProject, useStorage } from './helpers';

const { storage } = await useStorage();

describe('organizations and members', () => {
  it('creates, finds by external id and lists memberships of a user', async () => {
    const acme = await storage.organizations.create({ name: 'Acme', externalId: 'org_acme_ext' });
    const beta = await storage.organizations.create({ name: 'Beta', externalId: 'org_beta_ext' });
    expect(acme.id).toMatch(/^org_[0-9a-z]{26}$/);
    expect(await storage.organizations.findByExternalId('org_acme_ext')).toEqual(acme);
    expect(await storage.organizations.get(beta.id)).toEqual(beta);
    expect(await storage.organizations.findByExternalId('nope')).toBeNull();

    await storage.forOrg(acme.id).members.add({ userId: 'u|1', email: 'a@x', name: 'A', role: 'owner' });
    await storage.forOrg(beta.id).members.add({ userId: 'u|1', email: 'a@x', name: 'A', role: 'viewer' });
    const memberships = await storage.organizations.membershipsOf('u|1');
    expect(memberships.map((m) => [m.organization.name, m.member.role])).toEqual([
      ['Acme', 'owner'],
      ['Beta', 'viewer'],
    ]);
    expect(await storage.forOrg(acme.id).members.getByUserId('u|1')).toMatchObject({ role: 'owner' });
    expect(await storage.forOrg(acme.id).organization()).toEqual(acme);
  });

  it('rejects duplicates with typed errors', async () => {
    await expect(
      storage.organizations.create({ name: 'Dup', externalId: 'org_acme_ext' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      constraint: 'organizations_external_id_unique',
    });
    const org = await newOrg(storage);
    await org.members.add({ userId: 'u|2', email: 'b@x', name: 'B', role: 'member' });
    const error = await org.members
      .add({ userId: 'u|2', email: 'b@x', name: 'B', role: 'admin' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe('conflict');
  });
});

describe('projects', () => {
  it('creates with default settings, merges settings patches and deletes', async () => {
    const org = await newOrg(storage);
    const project = await org.projects.create({
      name: 'shop',
      keyPrefix: 'SHOP',
      repositoryUrl: 'file:///repo',
      settings: { maxConcurrentAgents: 3 },
    });
    expect(project).toMatchObject({ defaultBranch: 'main', status: 'active' });
    expect(project.settings).toMatchObject({ maxConcurrentAgents: 3, budgetPerFeatureUsd: 5 });
    const updated = await org.projects.update(project.id, {
      status: 'paused',
      settings: { budgetPerFeatureUsd: 9 },
    });
    expect(updated!.status).toBe('paused');
    expect(updated!.settings).toMatchObject({ maxConcurrentAgents: 3, budgetPerFeatureUsd: 9 });
    expect(await org.projects.list()).toEqual([updated]);
    await expect(
      org.projects.create({ name: 'shop', keyPrefix: 'OTHER', repositoryUrl: 'file:///repo' }),
    ).rejects.toMatchObject({ code: 'conflict', constraint: 'projects_org_name_unique' });
    expect(await org.projects.delete(project.id)).toBe(true);
    expect(await org.projects.delete(project.id)).toBe(false);
    expect(await org.projects.get(project.id)).toBeNull();
  });
});

describe('features', () => {
  it('allocates keys, keeps dependencies in order and updates conditionally', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'DEMO');
    const a = await org.features.create(projectId, {
      title: 'A',
      acceptanceCriteria: ['works'],
      priority: 2,
    });
    const b = await org.features.create(projectId, { title: 'B' });
    const c = await org.features.create(projectId, {
      title: 'C',
      dependsOn: [b.id, a.id],
      category: 'backend',
    });
    expect([a.key, b.key, c.key]).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3']);
    expect(c).toMatchObject({
      status: 'pending',
      dependsOn: [b.id, a.id],
      counters: { reviewRounds: 0, testRounds: 0 },
    });
    expect(await org.features.get(c.id)).toEqual(c);
    expect((await org.features.list(projectId)).map((f) => f.key)).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3']);

    const askedAt = new Date('2026-01-02T03:04:05.000Z');
    const moved = await org.features.update(
      c.id,
      {
        status: 'needs_input',
        needsInput: { question: 'Which PSP?', answer: null, askedAt },
        dependsOn: [a.id],
      },
      { expectedStatus: 'pending' },
    );
    expect(moved).toMatchObject({ status: 'needs_input', dependsOn: [a.id], needsInput: { askedAt } });
    expect(moved!.updatedAt.getTime()).toBeGreaterThanOrEqual(c.updatedAt.getTime());
    // Stale expectation: no update.
    expect(await org.features.update(c.id, { status: 'coding' }, { expectedStatus: 'pending' })).toBeNull();
    expect((await org.features.get(c.id))!.status).toBe('needs_input');

    expect(await org.features.delete(a.id)).toBe(true);
    expect((await org.features.get(c.id))!.dependsOn).toEqual([]);
  });

  it('rejects invalid values and unknown references', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'VAL');
    await expect(org.features.create(projectId, { title: 'x', priority: 7 as 0 })).rejects.toMatchObject({
      code: 'invalid_value',
    });
    await expect(
      org.features.create(projectId, {
        title: 'x',
        dependsOn: ['feat_01hzzzzzzzzzzzzzzzzzzzzzzz' as FeatureId],
      }),
    ).rejects.toMatchObject({ code: 'invalid_reference' });
    await expect(org.features.create('proj_missing', { title: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    // Failed creates roll back their key reservation.
    expect((await org.features.create(projectId, { title: 'ok' })).key).toBe('VAL-1');
  });
});

describe('runs and costs', () => {
  it('records runs and aggregates their costs per feature and project', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'RUN');
    const f1 = await org.features.create(projectId, { title: 'one' });
    const f2 = await org.features.create(projectId, { title: 'two' });
    const r1 = await org.runs.create({ featureId: f1.id, role: 'architect', input: { hint: 1 } });
    expect(r1).toMatchObject({
      projectId,
      status: 'queued',
      attempt: 1,
      tokensIn: 0,
      costUsd: 0,
      output: null,
    });
    const startedAt = new Date();
    const done = await org.runs.update(r1.id, {
      status: 'succeeded',
      startedAt,
      output: { plan: 'p' },
      tokensIn: 1000,
      tokensOut: 200,
      costUsd: 0.125,
      computeSeconds: 12.5,
    });
    expect(done).toMatchObject({ status: 'succeeded', startedAt, costUsd: 0.125, tokensIn: 1000 });
    const r2 = await org.runs.create({ featureId: f1.id, role: 'coder' });
    await org.runs.update(r2.id, { tokensIn: 3_000_000_000, costUsd: 1.5, computeSeconds: 2 });
    const r3 = await org.runs.create({ featureId: f2.id, role: 'coder' });
    await org.runs.update(r3.id, { tokensOut: 5, costUsd: 0.375 });

    expect(await org.runs.costByFeature(f1.id)).toEqual({
      tokensIn: 3_000_001_000,
      tokensOut: 200,
      costUsd: 1.625,
      computeSeconds: 14.5,
      runs: 2,
    });
    expect(await org.runs.costByProject(projectId)).toMatchObject({ costUsd: 2, runs: 3, tokensOut: 205 });
    expect((await org.runs.listByFeature(f1.id)).map((r) => r.role)).toEqual(['architect', 'coder']);
    await expect(
      org.runs.create({ featureId: 'feat_missing' as FeatureId, role: 'coder' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('events', () => {
  it('appends with consecutive sequence numbers and pages with afterSeq/limit', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'EVT');
    const feature = await org.features.create(projectId, { title: 'f' });
    const run = await org.runs.create({ featureId: feature.id, role: 'coder' });
    const first = await org.events.append(run.id, [
      { type: 'thought', payload: { text: 'hmm' } },
      { type: 'tool_call', payload: { tool: 'Write' } },
    ]);
    const second = await org.events.append(run.id, [{ type: 'output', payload: { line: 'ok' } }]);
    expect([...first, ...second].map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await org.events.append(run.id, [])).toEqual([]);
    const page = await org.events.list(run.id, { afterSeq: 1, limit: 1 });
    expect(page.map((e) => [e.seq, e.type, e.payload])).toEqual([[2, 'tool_call', { tool: 'Write' }]]);
    expect((await org.events.list(run.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('transaction', () => {
  it('commits together or not at all', async () => {
    const org = await newOrg(storage);
    const projectId = await newProject(org, 'TX');
    const created = await org.transaction(async (tx) => {
      const f = await tx.features.create(projectId, { title: 'in tx' });
      await tx.features.update(f.id, { title: 'renamed in tx' });
      return f;
    });
    expect((await org.features.get(created.id))!.title).toBe('renamed in tx');

    let doomed: FeatureId | undefined;
    await expect(
      org.transaction(async (tx) => {
        doomed = (await tx.features.create(projectId, { title: 'doomed' })).id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await org.features.get(doomed!)).toBeNull();
    expect((await org.features.create(projectId, { title: 'next' })).key).toBe('TX-2');
  });
});
