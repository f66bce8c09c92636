/** The work loop's shutdown on real Postgres: it lets the items in hand finish, within a bound. */
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { OrgId, WorkItem } from '@omakase/domain';
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
