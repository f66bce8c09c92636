/**
 * The work loop on real Postgres: its shutdown lets the items in hand finish, within a bound; an
 * item that fails all its attempts becomes a dead letter, and a retry runs it again.
 */
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { OrgId, WorkItem } from '@omakase/domain';
import { MalformedWorkItem } from '@omakase/engine';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Worker } from '../src/worker';

let db: TestDatabase;
let storage: PostgresStorage;
let orgId: OrgId;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = createStorage(db.url);
  orgId = (await storage.organizations.create({ name: 'w', externalId: `org_${db.name}` })).id;
});
afterAll(async () => {
  await storage?.close();
  await db?.drop();
});

/** A worker whose handler holds its item until released; `events` records the order of ends. */
function blockingWorker(workerId: string) {
  const events: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: (item: WorkItem) => void;
  const handling = new Promise<WorkItem>((resolve) => {
    entered = resolve;
  });
  const worker = new Worker({
    storage,
    workerId,
    leaseMs: 10_000,
    concurrency: 2,
    maxAttempts: () => 10,
    logger: pino({ level: 'silent' }),
    handle: async (item) => {
      entered(item);
      await released;
      await storage.work.complete({ workerId, id: item.id });
      events.push('handled');
      return 'done';
    },
  });
  return { worker, handling, release, events };
}

it('waits for the items in hand before it resolves', async () => {
  const { worker, handling, release, events } = blockingWorker('w-wait');
  await worker.start();
  const item = await storage.work.enqueue({ orgId, kind: 'test.block', subjectId: 'a' });
  expect((await handling).id).toBe(item.id);

  const stopping = worker.stop(30_000).then(() => events.push('stopped'));
  // Database round trips while the handler is held (its item stays leased meanwhile); a stop
  // that did not wait would have resolved by now.
  for (let i = 0; i < 3; i++) {
    expect(await storage.work.claim({ workerId: 'probe', limit: 10, leaseMs: 1000 })).toEqual([]);
  }
  release();
  await stopping;
  expect(events).toEqual(['handled', 'stopped']);
});

it('gives up waiting after the grace period; the item keeps its lease', async () => {
  const { worker, handling, release } = blockingWorker('w-grace');
  await worker.start();
  await storage.work.enqueue({ orgId, kind: 'test.block', subjectId: 'b' });
  await handling;
  await worker.stop(50);
  // Still leased to the stopped worker: nobody else may take it before the lease expires.
  expect(await storage.work.claim({ workerId: 'probe', limit: 10, leaseMs: 1000 })).toEqual([]);
  release();
});

it('buries an item after its last attempt with the error, and runs it again when retried', async () => {
  let failing = true;
  const attempts: number[] = [];
  let handled!: (item: WorkItem) => void;
  const succeeded = new Promise<WorkItem>((resolve) => {
    handled = resolve;
  });
  const worker = new Worker({
    storage,
    workerId: 'w-dead',
    leaseMs: 750, // the sweeper (every 250 ms) picks up the retry after the 0.5 s backoff
    concurrency: 1,
    maxAttempts: (kind) => (kind === 'test.flaky' ? 2 : 10),
    logger: pino({ level: 'silent' }),
    handle: async (item) => {
      attempts.push(item.attempts);
      if (failing) throw new Error(`the vendor is down (attempt ${item.attempts})`);
      await storage.work.complete({ workerId: 'w-dead', id: item.id });
      handled(item);
      return 'done';
    },
  });
  await worker.start();
  try {
    const tenant = storage.forOrg(orgId);
    await storage.work.enqueue({ orgId, kind: 'test.flaky', subjectId: 'flaky-1', payload: { n: 1 } });
    const dead = await until(async () => {
      const items = await tenant.work.listDead();
      return items.some((i) => i.subjectId === 'flaky-1') ? items : undefined;
    }, 'the dead letter');
    expect(attempts).toEqual([1, 2]);
    expect(dead.find((i) => i.subjectId === 'flaky-1')).toMatchObject({
      kind: 'test.flaky',
      attempts: 2,
      payload: { n: 1 },
      lastError: 'Error: the vendor is down (attempt 2)',
    });

    failing = false;
    const retried = await tenant.work.retryDead(dead[0]!.id);
    expect(retried?.subjectId).toBe('flaky-1');
    const item = await succeeded;
    expect({
      kind: item.kind,
      subjectId: item.subjectId,
      payload: item.payload,
      attempts: item.attempts,
    }).toEqual({
      kind: 'test.flaky',
      subjectId: 'flaky-1',
      payload: { n: 1 },
      attempts: 1,
    });
    expect(await tenant.work.listDead()).toEqual([]);
    // Another org can neither see nor retry it (it is gone now anyway; bury one more to check).
    const other = await storage.organizations.create({ name: 'o', externalId: `org_o_${db.name}` });
    expect(await storage.forOrg(other.id).work.listDead()).toEqual([]);
    expect(await storage.forOrg(other.id).work.retryDead(dead[0]!.id)).toBeNull();
  } finally {
    await worker.stop(1000);
  }
});

/** Waits for a condition the worker brings about (burying sends no notification): asks every 50 ms. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('claims only its kinds, and buries a malformed item at its first attempt', async () => {
  const seen: string[] = [];
  const worker = new Worker({
    storage,
    workerId: 'w-kinds',
    leaseMs: 10_000,
    concurrency: 2,
    maxAttempts: () => 10,
    kinds: ['test.mine', 'test.malformed'],
    logger: pino({ level: 'silent' }),
    handle: async (item) => {
      seen.push(item.kind);
      if (item.kind === 'test.malformed')
        throw new MalformedWorkItem('test.malformed: subject must be a run_ id');
      await storage.work.complete({ workerId: 'w-kinds', id: item.id });
      return 'done';
    },
  });
  const tenant = storage.forOrg(orgId);
  await storage.work.enqueue({ orgId, kind: 'test.theirs', subjectId: 'theirs-1' });
  await storage.work.enqueue({ orgId, kind: 'test.malformed', subjectId: 'bad-1' });
  await storage.work.enqueue({ orgId, kind: 'test.mine', subjectId: 'mine-1' });
  await worker.start();
  try {
    const dead = await until(async () => {
      const items = await tenant.work.listDead();
      return items.find((i) => i.subjectId === 'bad-1');
    }, 'the malformed item buried');
    expect(dead).toMatchObject({
      attempts: 1,
      lastError: expect.stringContaining('subject must be a run_ id'),
    });
    await until(async () => seen.includes('test.mine') || undefined, 'its own kind handled');
    expect(seen).not.toContain('test.theirs');
    const [theirs] = await storage.database
      .sql`select attempts, completed_at from work_items where subject_id = 'theirs-1'`;
    expect(theirs).toMatchObject({ attempts: 0, completed_at: null });
  } finally {
    await worker.stop();
  }
});
