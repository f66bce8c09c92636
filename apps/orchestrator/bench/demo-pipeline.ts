/**
 * The demo pipeline end to end on one demo feature, on the real stack (Postgres, web API, scripted
 * model server, SDK runners in the sandbox, git): wall time and its split per stage, from the
 * runs' own timestamps (queued → started → finished) and the push after the last run.
 */
import { startFeature } from '@omakase/engine';
import { featureIn, startStack, waitFor } from '../test/stack';

export interface DemoPipelineResult {
  wallSeconds: number;
  /** Per run in order: role, seconds from creation to finish, of which waiting to start. */
  stages: { role: string; seconds: number; startupSeconds: number }[];
  pushSeconds: number;
}

export async function benchDemoPipeline(): Promise<DemoPipelineResult> {
  const stack = await startStack();
  try {
    await stack.startOrchestrator('bench-demo');
    const { store, storage, project } = stack;
    const feature = await store.features.create(project.id, {
      title: 'Add a wishlist',
      description: 'Shoppers can save products for later.',
      acceptanceCriteria: ['A product can be added to the wishlist', 'Duplicates are ignored'],
    });
    const started = Date.now();
    await startFeature(store, feature.id, { orgMaxConcurrentAgents: 10 });
    const done = await waitFor(
      storage,
      () => featureIn(store, feature, ['done', 'failed', 'needs_input']),
      'done',
    );
    const wallSeconds = (Date.now() - started) / 1000;
    if (done.status !== 'done') throw new Error(`the demo feature ended ${done.status}`);
    const runs = await store.runs.listByFeature(feature.id);
    const seconds = (from: Date | null, to: Date | null) =>
      from && to ? (to.getTime() - from.getTime()) / 1000 : 0;
    return {
      wallSeconds,
      stages: runs.map((run) => ({
        role: run.role,
        seconds: seconds(run.createdAt, run.finishedAt),
        startupSeconds: seconds(run.createdAt, run.startedAt),
      })),
      pushSeconds: seconds(runs.at(-1)!.finishedAt, done.updatedAt),
    };
  } finally {
    await stack.close();
  }
}
