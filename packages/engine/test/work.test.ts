import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe('tenant work queue', () => {
  it('re-opens an item enqueued again while it was being processed', async () => {
    await h.store.work.enqueue({ kind: 'k', subjectId: 's' });
    const [claimed] = await h.storage.work.claim({ workerId: 'w1', limit: 5, leaseMs: 10_000 });
    expect(claimed?.subjectId).toBe('s');
    await h.store.work.enqueue({ kind: 'k', subjectId: 's' });
    expect(await h.store.transaction((tx) => tx.work.complete(claimed!.id, 'w1'))).toBe(true);
    const [again] = await h.storage.work.claim({ workerId: 'w2', limit: 5, leaseMs: 10_000 });
    expect(again?.id).toBe(claimed!.id);
    expect(await h.store.work.complete(again!.id, 'w2')).toBe(true);
    expect(await h.storage.work.claim({ workerId: 'w3', limit: 5, leaseMs: 10_000 })).toEqual([]);
  });

  it('rolls back an enqueue with its transaction', async () => {
    await expect(
      h.store.transaction(async (tx) => {
        await tx.work.enqueue({ kind: 'k', subjectId: 'rolled-back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await h.storage.work.claim({ workerId: 'w', limit: 5, leaseMs: 1000 })).toEqual([]);
  });

  it('only the lease holder completes', async () => {
    await h.store.work.enqueue({ kind: 'k', subjectId: 'owned' });
    const [item] = await h.storage.work.claim({ workerId: 'w1', limit: 1, leaseMs: 10_000 });
    expect(await h.store.work.complete(item!.id, 'intruder')).toBe(false);
    expect(await h.store.work.complete(item!.id, 'w1')).toBe(true);
  });
});
