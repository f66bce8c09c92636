/**
 * `warm-start` (run by scripts/bench.ts): start latency of a run, cold vs warm, on the ECS driver
 * against the fake with the real orchestrator, API, issuer and runner. Measured from the
 * feature's start (the launch is enqueued) to the runner's first event reaching the database.
 * Cold = RunTask + the fake's simulated provisioning + runner boot + spec fetch; warm = the
 * hand-over to a waiting task's long-poll + spec fetch. Each feature is stopped after its first
 * event, and the next measurement waits for the pool to be full again.
 */

import { percentile } from '@omakase/db/testing';
import type { FeatureId, RunId } from '@omakase/domain';
import { startFeature, stopFeature } from '@omakase/engine';
import { driverFor } from './support';
import { startWarmHarness, until, warmRows } from './warm-support';

export async function benchWarmStart(samples = 4, provisioningMs = 1000) {
  const h = await startWarmHarness({ startDelayMs: provisioningMs });
  const { store, storage, project } = h.stack;
  const firstEvent = new Map<RunId, number>();
  const unsubscribe = await storage.changes.subscribe((c) => {
    if (c.entity === 'event' && !firstEvent.has(c.id as RunId))
      firstEvent.set(c.id as RunId, performance.now());
  });

  const measure = async (title: string) => {
    const feature = await store.features.create(project.id, { title });
    const t0 = performance.now();
    await startFeature(store, feature.id as FeatureId, { orgMaxConcurrentAgents: 10 });
    const at = await until(async () => {
      const [run] = await store.runs.listByFeature(feature.id);
      return run && firstEvent.get(run.id);
    }, 'the first run event');
    await stopFeature(store, feature.id);
    await until(
      async () => (await store.runs.listByFeature(feature.id)).every((r) => r.status !== 'running'),
      'stop',
    );
    return at - t0;
  };

  try {
    const cold: number[] = [];
    const coldOrchestrator = await h.stack.startOrchestrator(
      'orch-cold',
      driverFor(h.fake, { pollIntervalMs: 50 }),
    );
    for (let i = 0; i < samples; i++) cold.push(await measure(`Cold ${i}`));
    await coldOrchestrator.stop();
    h.stack.orchestrators.splice(h.stack.orchestrators.indexOf(coldOrchestrator), 1);

    const pool = h.pool([[project.orgId, 1]]);
    await h.stack.startOrchestrator('orch-warm', h.driver, { warmPool: pool });
    const warm: number[] = [];
    for (let i = 0; i < samples; i++) {
      await until(
        async () => (await warmRows(h.sql, project.orgId)).some((r) => r.status === 'waiting'),
        'a waiting warm task',
      );
      warm.push(await measure(`Warm ${i}`));
    }
    return {
      samples,
      provisioningMs,
      coldP50: percentile(cold, 50),
      coldMax: Math.max(...cold),
      warmP50: percentile(warm, 50),
      warmMax: Math.max(...warm),
      served: pool.stats.served,
    };
  } finally {
    await unsubscribe();
    await h.close();
  }
}
