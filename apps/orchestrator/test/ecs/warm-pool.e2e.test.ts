/**
 * Warm pools end to end: the real orchestrator and pipeline on the ECS driver against the
 * loopback fake, whose tasks run the real agent runner. A warm task gets an M2M token from the
 * local issuer (client-credentials grant), long-polls the real web API's claim endpoint, and
 * runs exactly the one run the orchestrator's launch handed it; the pool refills.
 */

import type { RunId } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WarmPool } from '../../src/compute/warm-pool';
import { waitUntilSettled } from '../stack';
import { specFor } from './support';
import { CLIENTS, isWarmTask, startWarmHarness, until, type WarmHarness, warmRows } from './warm-support';

let h: WarmHarness;
let pool: WarmPool;

beforeAll(async () => {
  h = await startWarmHarness();
  pool = h.pool([[h.stack.project.orgId, 1]]);
  await h.stack.startOrchestrator('orch-warm', h.driver, { warmPool: pool });
});
afterAll(async () => {
  await h?.close();
});

const claim = (token: string | null, body: unknown) =>
  fetch(`${h.stack.web.url}/api/v1/runner/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

const waitingRow = (orgId: string) =>
  until(
    async () => (await warmRows(h.sql, orgId)).find((r) => r.status === 'waiting'),
    'a waiting warm task',
  );

describe('warm runner pool (ECS fake, real runner, real API and issuer)', () => {
  it('isolates orgs: only a runs:claim machine token of the same org reaches a warm task', async () => {
    const orgA = h.stack.project.orgId;
    const row = await waitingRow(orgA);

    // Org B's warm runner token, naming org A's warm task: not found in its org, nothing changes.
    const foreign = await claim(await h.token(CLIENTS.warmB), { warmId: row.id, waitMs: 0 });
    expect(foreign.status).toBe(404);
    // A machine token of org A without the permission, and no token at all.
    const automation = await claim(await h.token(CLIENTS.automationA), { warmId: row.id, waitMs: 0 });
    expect(automation.status).toBe(403);
    expect((await automation.json()).error.code).toBe('forbidden');
    expect((await claim(null, { warmId: row.id, waitMs: 0 })).status).toBe(401);
    // The right token, malformed body: a validation error, not a claim.
    expect((await claim(await h.token(CLIENTS.warmA), { warmId: 'nope' })).status).toBe(422);

    // A launch of org B is never offered to org A's waiting task: it starts cold.
    expect(await pool.offer(specFor({ orgId: h.orgB, runId: 'run_orgbwarmprobe' as RunId }))).toBeNull();
    expect(await h.store.assign(h.orgB, 'run_orgbwarmprobe' as RunId, {})).toBeNull();
    expect((await warmRows(h.sql, orgA)).find((r) => r.id === row.id)?.status).toBe('waiting');
  });

  it('serves runs from the pool without RunTask, refills it, and completes the feature', async () => {
    const { store, storage, project } = h.stack;
    await waitingRow(project.orgId);
    const warmBefore = [...h.fake.tasks.values()].filter(isWarmTask).length;
    const coldBefore = h.fake.tasks.size - warmBefore;

    const feature = await store.features.create(project.id, { title: 'Add a wishlist' });
    expect((await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 })).ok).toBe(true);
    const done = await waitUntilSettled(storage, store, feature);
    expect(done.status).toBe('done');

    const runs = await store.runs.listByFeature(feature.id);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    const tasks = [...h.fake.tasks.values()];
    const coldRunIds = new Set(tasks.filter((t) => !isWarmTask(t)).map((t) => t.startedBy));
    // The first run was handed to the waiting warm task: no RunTask carries its id.
    expect(coldRunIds.has(runs[0]!.id)).toBe(false);
    const served = runs.filter((r) => !coldRunIds.has(r.id));
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(pool.stats.served).toBe(served.length);
    // Every other run cost exactly one cold RunTask.
    expect(tasks.filter((t) => !isWarmTask(t)).length - coldBefore).toBe(runs.length - served.length);
    for (const run of served) expect((await store.events.list(run.id)).length).toBeGreaterThan(0);
    // Each served run refilled the pool: one warm task per served run, plus the one waiting now.
    await waitingRow(project.orgId);
    expect([...h.fake.tasks.values()].filter(isWarmTask).length).toBe(warmBefore + served.length);
    const live = (await warmRows(h.sql, project.orgId)).filter((r) => r.status !== 'assigned');
    expect(live).toHaveLength(1);
  });

  it('recovers a run whose warm task dies holding it, like any lost run', async () => {
    const { store, storage, project } = h.stack;
    const row = await waitingRow(project.orgId);
    const feature = await store.features.create(project.id, { title: 'Add a search box' });
    expect((await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 })).ok).toBe(true);
    const held = await until(async () => {
      const current = (await warmRows(h.sql, project.orgId)).find((r) => r.id === row.id);
      if (current?.status !== 'assigned' || !current.run_id) return null;
      const events = await store.events.list(current.run_id as RunId);
      return events.length > 0 ? current : null; // the runner is working on it
    }, 'the warm task working on its run');
    h.fake.crash(held.handle!);

    const done = await waitUntilSettled(storage, store, feature);
    expect(done.status).toBe('done');
    const runs = await store.runs.listByFeature(feature.id);
    const lost = runs.find((r) => r.id === held.run_id)!;
    expect(lost).toMatchObject({ role: 'architect', status: 'failed', exitReason: 'runner_exited_137' });
    expect(runs.filter((r) => r.role === 'architect').map((r) => `${r.status}:${r.attempt}`)).toEqual([
      'failed:1',
      'succeeded:2',
    ]);
  });
});
