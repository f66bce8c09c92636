/**
 * The pipeline's units of work (migration 0013's functions behind `store.pipeline`): each writes
 * all it was given or nothing, guarded by the status its decision was made on, within its org.
 */
import { newId, type RunId, type TenantStore, type TransitionWrites } from '@omakase/domain';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { newOrg, newProject, recordChanges, useStorage } from './helpers';

const { storage, url } = await useStorage();

async function openWork(kind: string, subjectId: string) {
  const sql = postgres(url, { max: 1 });
  const rows = await sql<{ id: string; requeue: boolean }[]>`
    select id, requeue from work_items where kind = ${kind} and subject_id = ${subjectId} and completed_at is null`;
  await sql.end();
  return rows;
}

async function featureWithClaimedItem(store: TenantStore) {
  const projectId = await newProject(store, 'UNIT');
  const feature = await store.features.create(projectId, { title: 'Units' });
  await storage.work.enqueue({ orgId: store.orgId, kind: 'project.schedule', subjectId: projectId });
  const [item] = await storage.work.claim({
    workerId: 'w1',
    limit: 1,
    leaseMs: 60_000,
    kinds: ['project.schedule'],
  });
  return { feature, item: item! };
}

const start = (featureId: TransitionWrites['featureId'], runId: RunId): TransitionWrites => ({
  featureId,
  expectedStatus: 'pending',
  patch: { status: 'setting_up', counters: { reviewRounds: 0, testRounds: 0, stage: 'setting_up' } },
  createRun: { id: runId, role: 'setup', attempt: 1, input: { trigger: { kind: 'start' } } },
  enqueue: [{ kind: 'run.launch', subjectId: runId }],
});

describe('pipeline units', () => {
  it('commits a transition whole: the feature, its run, its launch, the deciding item, the changes', async () => {
    const store = await newOrg(storage);
    const { feature, item } = await featureWithClaimedItem(store);
    const changes = await recordChanges(storage);
    const runId = newId('run');
    const { committed } = await store.pipeline.commitTransition(start(feature.id, runId), {
      completeWork: { id: item.id, workerId: 'w1' },
    });
    expect(committed).toBe(true);
    expect((await store.features.get(feature.id))?.status).toBe('setting_up');
    expect((await store.runs.get(runId))?.status).toBe('queued');
    expect(await openWork('run.launch', runId)).toHaveLength(1);
    expect(await openWork('project.schedule', feature.projectId)).toHaveLength(0);
    await changes.next((c) => c.entity === 'run' && c.id === runId && c.status === 'queued');
    await changes.next((c) => c.entity === 'feature' && c.id === feature.id && c.op === 'update');
    await changes.unsubscribe();
  });

  it('writes nothing when the feature moved since the decision, not even the item completion', async () => {
    const store = await newOrg(storage);
    const { feature, item } = await featureWithClaimedItem(store);
    await store.features.update(feature.id, { status: 'cancelled' });
    const runId = newId('run');
    const { committed } = await store.pipeline.commitTransition(start(feature.id, runId), {
      completeWork: { id: item.id, workerId: 'w1' },
    });
    expect(committed).toBe(false);
    expect((await store.features.get(feature.id))?.status).toBe('cancelled');
    expect(await store.runs.get(runId)).toBeNull();
    expect(await openWork('run.launch', runId)).toHaveLength(0);
    expect(await openWork('project.schedule', feature.projectId)).toHaveLength(1);
  });

  it('finishes a run once: one completion enqueued, a second finish changes nothing', async () => {
    const store = await newOrg(storage);
    const { feature } = await featureWithClaimedItem(store);
    const runId = newId('run');
    await store.pipeline.commitTransition(start(feature.id, runId));
    const moved = await store.pipeline.moveRun(runId, {
      to: 'running',
      startedAt: new Date(Date.now() - 2000),
    });
    expect(moved).toEqual({ moved: true, status: 'running' });
    const finish = {
      status: 'succeeded' as const,
      finishedAt: new Date(),
      exitReason: 'submitted',
      costUsd: 0.25,
    };
    expect(await store.pipeline.finishRun(runId, finish)).toBe(true);
    expect(await store.pipeline.finishRun(runId, { ...finish, status: 'failed', exitReason: 'late' })).toBe(
      false,
    );
    const run = await store.runs.get(runId);
    expect(run).toMatchObject({ status: 'succeeded', exitReason: 'submitted', costUsd: 0.25 });
    expect(run!.computeSeconds).toBeGreaterThanOrEqual(2);
    expect(await openWork('run.completed', runId)).toHaveLength(1);
    // Too late to start, and the caller learns why.
    expect(await store.pipeline.moveRun(runId, { to: 'running', startedAt: new Date() })).toEqual({
      moved: false,
      status: 'succeeded',
    });
  });

  it('hands a new item of the named kinds to the deciding worker, leased, and wakes nobody', async () => {
    const store = await newOrg(storage);
    const { feature } = await featureWithClaimedItem(store);
    const runId = newId('run');
    const { committed, handedOff } = await store.pipeline.commitTransition(start(feature.id, runId), {
      handOff: { workerId: 'w2', leaseMs: 30_000, kinds: ['run.launch'] },
    });
    expect(committed).toBe(true);
    expect(handedOff).toHaveLength(1);
    expect(handedOff[0]).toMatchObject({
      kind: 'run.launch',
      subjectId: runId,
      attempts: 1,
      leaseOwner: 'w2',
    });
    expect(handedOff[0]!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Leased: no other worker can claim it.
    const others = await storage.work.claim({
      workerId: 'other',
      limit: 50,
      leaseMs: 1000,
      kinds: ['run.launch'],
    });
    expect(others.map((item) => item.id)).not.toContain(handedOff[0]!.id);
    expect(await storage.work.complete({ workerId: 'w2', id: handedOff[0]!.id })).toBe(true);
  });

  it('commits several starts all or none, and only within the free slots under the scheduling lock', async () => {
    const store = await newOrg(storage);
    const projectId = await newProject(store, 'CAP');
    const [a, b, c] = await Promise.all(
      ['A', 'B', 'C'].map((title) => store.features.create(projectId, { title })),
    );
    const guard = {
      projectId,
      projectMax: 2,
      orgMax: 10,
      activeStatuses: ['setting_up', 'architecting'] as const,
    };
    const capacity = { ...guard, activeStatuses: [...guard.activeStatuses] };
    // One feature moved since the decision: neither start is written.
    await store.features.update(b!.id, { status: 'cancelled' });
    const [runA, runB] = [newId('run'), newId('run')];
    const conflict = await store.pipeline.commitTransitions([start(a!.id, runA), start(b!.id, runB)], {
      capacity,
    });
    expect(conflict).toEqual({ committed: false, reason: 'conflict' });
    expect((await store.features.get(a!.id))?.status).toBe('pending');
    expect(await store.runs.get(runA)).toBeNull();
    // Three starts do not fit two slots; two do, and then a third no longer does.
    const runs = [newId('run'), newId('run'), newId('run')];
    await store.features.update(b!.id, { status: 'pending' });
    const tooMany = await store.pipeline.commitTransitions(
      [a!, b!, c!].map((f, i) => start(f.id, runs[i]!)),
      { capacity },
    );
    expect(tooMany).toEqual({ committed: false, reason: 'capacity' });
    const racing = await Promise.all(
      [a!, b!].map((f, i) => store.pipeline.commitTransitions([start(f.id, runs[i]!)], { capacity })),
    );
    expect(racing.every((r) => r.committed)).toBe(true);
    expect(await store.pipeline.commitTransitions([start(c!.id, runs[2]!)], { capacity })).toEqual({
      committed: false,
      reason: 'capacity',
    });
    const statuses = await Promise.all(
      [a!, b!, c!].map(async (f) => (await store.features.get(f.id))?.status),
    );
    expect(statuses).toEqual(['setting_up', 'setting_up', 'pending']);
  });

  it("cannot touch another organisation's feature or run", async () => {
    const owner = await newOrg(storage, 'Owner');
    const intruder = await newOrg(storage, 'Intruder');
    const { feature } = await featureWithClaimedItem(owner);
    const runId = newId('run');
    expect((await intruder.pipeline.commitTransition(start(feature.id, runId))).committed).toBe(false);
    expect((await owner.features.get(feature.id))?.status).toBe('pending');
    expect((await owner.pipeline.commitTransition(start(feature.id, runId))).committed).toBe(true);
    const finish = { status: 'failed' as const, finishedAt: new Date(), exitReason: 'forged' };
    expect(await intruder.pipeline.finishRun(runId, finish)).toBe(false);
    expect(await intruder.pipeline.moveRun(runId, { to: 'running', startedAt: new Date() })).toEqual({
      moved: false,
      status: null,
    });
    expect(await intruder.pipeline.runSnapshot(runId)).toBeNull();
    expect(await intruder.pipeline.launchSnapshot(runId)).toBeNull();
    expect((await owner.runs.get(runId))?.status).toBe('queued');
    const snapshot = await owner.pipeline.runSnapshot(runId);
    expect(snapshot?.feature?.id).toBe(feature.id);
    expect(snapshot?.runs.map((r) => r.id)).toEqual([runId]);
  });
});
