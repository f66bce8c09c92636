/**
 * The warm pool's hand-over rules on a real Postgres: one run per task and one task per run
 * under concurrency, never across orgs, stale rows forgotten, reservations up to the size.
 */
import { createStorage, createWarmPoolStore, type PostgresStorage, type WarmPoolStore } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { OrgId, RunId } from '@omakase/domain';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePoolSizes } from '../../src/compute/warm-pool';

let db: TestDatabase;
let storage: PostgresStorage;
let store: WarmPoolStore;
let sql: postgres.Sql;
let orgA: OrgId;
let orgB: OrgId;

beforeAll(async () => {
  db = await createTestDatabase();
  storage = createStorage(db.url);
  store = createWarmPoolStore(db.url, { maxConnections: 8 });
  sql = postgres(db.url, { max: 1, onnotice: () => {} });
  orgA = (await storage.organizations.create({ name: 'A', externalId: 'org_store_a' })).id;
  orgB = (await storage.organizations.create({ name: 'B', externalId: 'org_store_b' })).id;
});
afterAll(async () => {
  await store?.close();
  await sql?.end();
  await storage?.close();
  await db?.drop();
});

/** A started task that has long-polled once (now waiting). */
async function waitingTask(orgId: OrgId, handle: string) {
  const [id] = await store.reserve(orgId, 'orch-1', (await liveCount(orgId)) + 1);
  await store.setHandle(orgId, id!, handle);
  expect(await store.awaitClaim(orgId, id!, 0)).toEqual({ state: 'waiting' });
  return id!;
}
const liveCount = async (orgId: OrgId) =>
  (
    await sql`select count(*)::int as n from warm_runners where org_id = ${orgId} and status <> 'assigned'`
  )[0]!.n as number;

describe('WarmPoolStore', () => {
  it('reserves only the missing rows up to the size', async () => {
    const first = await store.reserve(orgB, 'orch-1', 2);
    expect(first).toHaveLength(2);
    expect(await store.reserve(orgB, 'orch-2', 2)).toEqual([]);
    expect(await store.reserve(orgB, 'orch-2', 3)).toHaveLength(1);
    await sql`delete from warm_runners where org_id = ${orgB}`;
  });

  it('hands one waiting task to exactly one of many concurrent launches, and only in its org', async () => {
    const id = await waitingTask(orgA, 'arn:task/a1');
    expect(await store.assign(orgB, 'run_other' as RunId, {})).toBeNull();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.assign(orgA, `run_race${i}` as RunId, { OMAKASE_ROLE: 'coder' }),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toEqual([{ warmId: id, handle: 'arn:task/a1' }]);
    const claim = await store.awaitClaim(orgA, id, 0);
    expect(claim).toMatchObject({ state: 'assigned', env: { OMAKASE_ROLE: 'coder' } });
    // The same task asking again (a retried request) gets the same run; another org never does.
    expect(await store.awaitClaim(orgA, id, 0)).toEqual(claim);
    expect(await store.awaitClaim(orgB, id, 0)).toEqual({ state: 'unknown' });
  });

  it('wakes a pending long-poll on assignment', async () => {
    const id = await waitingTask(orgA, 'arn:task/a2');
    const pending = store.awaitClaim(orgA, id, 20_000);
    const assigned = await store.assign(orgA, 'run_woken' as RunId, {});
    expect(assigned?.warmId).toBe(id);
    expect(await pending).toMatchObject({ state: 'assigned', runId: 'run_woken' });
  });

  it('never hands a run to a task that stopped polling, and forgets it on the next top-up', async () => {
    const id = await waitingTask(orgA, 'arn:task/a3');
    await sql`update warm_runners set last_seen_at = now() - interval '2 minutes' where id = ${id}`;
    expect(await store.assign(orgA, 'run_stale' as RunId, {})).toBeNull();
    const added = await store.reserve(orgA, 'orch-1', 1);
    expect(added).toHaveLength(1);
    expect((await sql`select id from warm_runners where id = ${id}`).length).toBe(0);
  });
});

describe('parsePoolSizes', () => {
  it('reads org=size pairs and rejects anything else', () => {
    expect(parsePoolSizes('')).toEqual(new Map());
    expect(parsePoolSizes('org_a=2, org_b=0')).toEqual(
      new Map([
        ['org_a', 2],
        ['org_b', 0],
      ]),
    );
    expect(() => parsePoolSizes('org_a')).toThrow();
    expect(() => parsePoolSizes('team=2')).toThrow();
    expect(() => parsePoolSizes('org_a=-1')).toThrow();
  });
});
