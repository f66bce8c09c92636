import type { OrgId, WorkItem } from '@omakase/domain';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStorage } from './helpers';

const { storage, url } = await useStorage();
let orgId: OrgId;

beforeAll(async () => {
  orgId = (await storage.organizations.create({ name: 'Q', externalId: 'q' })).id;
});

/** Moves leases into the past with the database clock instead of sleeping. */
async function expireLeases(ids: string[]): Promise<void> {
  const sql = postgres(url, { max: 1 });
  await sql`update work_items set lease_expires_at = now() - interval '1 second',
    available_at = now() - interval '1 second' where id = any(${ids}::text[])`;
  await sql.end();
}

async function leaseExpiry(id: string): Promise<number> {
  const sql = postgres(url, { max: 1 });
  const [row] = await sql<{ ms: number }[]>`
    select (extract(epoch from lease_expires_at) * 1000)::float8 as ms from work_items where id = ${id}`;
  await sql.end();
  return row!.ms;
}

describe('work queue', () => {
  it('enqueue is idempotent per open (kind, subject)', async () => {
    const first = await storage.work.enqueue({ orgId, kind: 'idem', subjectId: 's1', payload: { n: 1 } });
    const again = await storage.work.enqueue({ orgId, kind: 'idem', subjectId: 's1', payload: { n: 2 } });
    expect(again.id).toBe(first.id);
    expect(again.payload).toEqual({ n: 1 });
    const other = await storage.work.enqueue({ orgId, kind: 'idem-other', subjectId: 's1' });
    expect(other.id).not.toBe(first.id);

    const [claimed] = await storage.work.claim({ workerId: 'w', limit: 1, leaseMs: 10_000, kinds: ['idem'] });
    expect(claimed!.id).toBe(first.id);
    expect(await storage.work.complete({ workerId: 'w', id: first.id })).toBe(true);
    const reopened = await storage.work.enqueue({ orgId, kind: 'idem', subjectId: 's1' });
    expect(reopened.id).not.toBe(first.id);
  });

  it('never hands one item to two of 20 concurrent claimers', async () => {
    const kind = 'race';
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => storage.work.enqueue({ orgId, kind, subjectId: `r${i}` })),
    );
    const claimedBy = new Map<string, string>();
    const claimer = async (workerId: string) => {
      for (;;) {
        const items = await storage.work.claim({ workerId, limit: 3, leaseMs: 60_000, kinds: [kind] });
        if (items.length === 0) return;
        for (const item of items) {
          expect(claimedBy.has(item.id)).toBe(false);
          claimedBy.set(item.id, workerId);
          expect(item).toMatchObject({ leaseOwner: workerId, attempts: 1 });
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => claimer(`w${i}`)));
    expect(claimedBy.size).toBe(200);
    expect(new Set(claimedBy.values()).size).toBeGreaterThan(1);
  });

  it('re-leases expired items; only the current owner may heartbeat, complete or release', async () => {
    const kind = 'lease';
    const item = await storage.work.enqueue({ orgId, kind, subjectId: 'x' });
    const claim = (workerId: string) =>
      storage.work.claim({ workerId, limit: 5, leaseMs: 30_000, kinds: [kind] });

    const [mine] = await claim('alice');
    expect(mine!.id).toBe(item.id);
    expect(await claim('bob')).toEqual([]);

    const before = mine!.leaseExpiresAt!.getTime();
    expect(await storage.work.heartbeat({ workerId: 'alice', ids: [item.id], leaseMs: 120_000 })).toBe(1);
    expect(await storage.work.heartbeat({ workerId: 'bob', ids: [item.id], leaseMs: 120_000 })).toBe(0);
    expect(await leaseExpiry(item.id)).toBeGreaterThan(before + 60_000);
    await expireLeases([item.id]);

    const [stolen] = await claim('bob');
    expect(stolen).toMatchObject({ id: item.id, leaseOwner: 'bob', attempts: 2 });
    expect(stolen!.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() - 5_000);
    expect(await storage.work.complete({ workerId: 'alice', id: item.id })).toBe(false);
    expect(await storage.work.heartbeat({ workerId: 'alice', ids: [item.id], leaseMs: 1000 })).toBe(0);

    const retryAt = new Date(Date.now() + 60 * 60_000);
    expect(await storage.work.release({ workerId: 'alice', id: item.id, runAfter: retryAt })).toBe(false);
    expect(
      await storage.work.release({ workerId: 'bob', id: item.id, runAfter: retryAt, error: 'flaky' }),
    ).toBe(true);
    expect(await claim('carol')).toEqual([]); // not due until retryAt

    await storage.work.release({ workerId: 'bob', id: item.id, runAfter: new Date() }); // no longer owner
    const sql = postgres(url, { max: 1 });
    await sql`update work_items set run_after = now(), available_at = now() where id = ${item.id}`;
    const [row] = await sql<
      { last_error: string }[]
    >`select last_error from work_items where id = ${item.id}`;
    await sql.end();
    expect(row!.last_error).toBe('flaky');
    const [retried] = await claim('carol');
    expect(retried).toMatchObject({ id: item.id, leaseOwner: 'carol', attempts: 3 });
    expect(await storage.work.complete({ workerId: 'carol', id: item.id })).toBe(true);
    expect(await storage.work.complete({ workerId: 'carol', id: item.id })).toBe(false);
    await expireLeases([item.id]);
    expect(await claim('dave')).toEqual([]);
  });

  it('wakes subscribers when work is enqueued', async () => {
    const seen: string[] = [];
    let wake: (id: string) => void = () => {};
    const woken = new Promise<string>((resolve) => {
      wake = resolve;
    });
    const unsubscribe = await storage.work.onAvailable((item) => {
      seen.push(item.id);
      if (item.kind === 'wake') wake(item.id);
    });
    const item: WorkItem = await storage.work.enqueue({ orgId, kind: 'wake', subjectId: 'w' });
    expect(await woken).toBe(item.id);
    await unsubscribe();
  });
});
