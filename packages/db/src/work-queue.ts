import type { OrgId, WorkItem, WorkQueue } from '@omakase/domain';
import { newId } from '@omakase/domain';
import type postgres from 'postgres';
import { z } from 'zod';
import { translateErrors } from './errors';
import { listen } from './listen';

export const WORK_CHANNEL = 'omakase_work';

/** Published on `omakase_work` when an item is enqueued (or released), so idle workers wake up. */
export interface WorkAvailable {
  orgId: OrgId;
  kind: string;
  id: string;
  runAfter: string;
}

const workAvailableSchema = z.object({
  orgId: z.custom<OrgId>((v) => typeof v === 'string' && v.startsWith('org_')),
  kind: z.string(),
  id: z.string(),
  runAfter: z.string(),
});

/** Raw row. Timestamps arrive as strings: drizzle's postgres.js driver disables date parsing on the shared client. */
export interface WorkRow {
  id: string;
  org_id: string;
  kind: string;
  subject_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

export function toWorkItem(row: WorkRow): WorkItem {
  return {
    id: row.id,
    orgId: row.org_id as OrgId,
    kind: row.kind,
    subjectId: row.subject_id,
    payload: row.payload,
    attempts: row.attempts,
    runAfter: new Date(row.run_after),
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
  };
}

const COLUMNS = 'id, org_id, kind, subject_id, payload, attempts, run_after, lease_owner, lease_expires_at';

/** Postgres-backed lease queue. Leases use the database clock so workers' clocks don't matter. */
export function createWorkQueue(
  sql: postgres.Sql,
  onListenerError: (error: unknown) => void,
): Required<WorkQueue> {
  const notifyAvailable = (tx: postgres.TransactionSql, row: WorkRow) =>
    tx`select pg_notify(${WORK_CHANNEL}, ${JSON.stringify({
      orgId: row.org_id as OrgId,
      kind: row.kind,
      id: row.id,
      runAfter: new Date(row.run_after).toISOString(),
    } satisfies WorkAvailable)})`;

  return {
    enqueue: (item) =>
      translateErrors(() =>
        sql.begin(async (tx) => {
          // A concurrent enqueue of the same open subject makes ours a no-op; read theirs then.
          for (let attempt = 0; attempt < 3; attempt++) {
            const [inserted] = await tx<WorkRow[]>`
              insert into work_items (id, org_id, kind, subject_id, payload, run_after, available_at)
              values (${newId('wrk')}, ${item.orgId}, ${item.kind}, ${item.subjectId},
                      ${JSON.stringify(item.payload ?? {})}::jsonb, ${(item.runAfter ?? new Date()).toISOString()}::timestamptz,
                      ${(item.runAfter ?? new Date()).toISOString()}::timestamptz)
              on conflict (kind, subject_id) where completed_at is null do update set
                requeue = work_items.requeue or work_items.lease_owner is not null,
                available_at = case when work_items.lease_expires_at > now() then work_items.available_at
                  else least(work_items.available_at, excluded.available_at) end,
                run_after = least(work_items.run_after, excluded.run_after)
              returning ${tx.unsafe(COLUMNS)}`;
            if (inserted) {
              await notifyAvailable(tx, inserted);
              return toWorkItem(inserted);
            }
            const [existing] = await tx<WorkRow[]>`
              select ${tx.unsafe(COLUMNS)} from work_items
              where kind = ${item.kind} and subject_id = ${item.subjectId} and completed_at is null`;
            if (existing) return toWorkItem(existing);
          }
          throw new Error(`enqueue of ${item.kind}/${item.subjectId} kept racing with completions`);
        }),
      ),

    claim: async ({ workerId, limit, leaseMs, kinds }) => {
      const rows = await sql<WorkRow[]>`
        update work_items set
          lease_owner = ${workerId},
          lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
          available_at = now() + make_interval(secs => ${leaseMs / 1000}),
          attempts = attempts + 1
        where id in (
          select id from work_items
          where completed_at is null
            and available_at <= now()
            and run_after <= now()
            and (lease_expires_at is null or lease_expires_at < now())
            ${kinds ? sql`and kind = any(${kinds}::text[])` : sql``}
          order by available_at, id
          limit ${limit}
          for update skip locked
        )
        returning ${sql.unsafe(COLUMNS)}`;
      return rows
        .map(toWorkItem)
        .sort((a, b) => a.runAfter.getTime() - b.runAfter.getTime() || (a.id < b.id ? -1 : 1));
    },

    heartbeat: async ({ workerId, ids, leaseMs }) => {
      if (ids.length === 0) return 0;
      const result = await sql`
        update work_items set lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}),
          available_at = now() + make_interval(secs => ${leaseMs / 1000})
        where id = any(${ids}::text[]) and lease_owner = ${workerId} and completed_at is null`;
      return result.count;
    },

    complete: async ({ workerId, id }) => {
      // An item enqueued again while leased (`requeue`) re-opens instead of completing.
      const rows = await sql<WorkRow[]>`
        update work_items set
          completed_at = case when requeue then null else now() end,
          lease_owner = case when requeue then null else lease_owner end,
          run_after = case when requeue then now() else run_after end,
          available_at = case when requeue then now() else available_at end,
          lease_expires_at = null,
          requeue = false
        where id = ${id} and lease_owner = ${workerId} and completed_at is null
        returning ${sql.unsafe(COLUMNS)}`;
      const row = rows[0];
      if (row && row.lease_owner === null) await sql.begin((tx) => notifyAvailable(tx, row));
      return rows.length === 1;
    },

    release: ({ workerId, id, runAfter, error }) =>
      sql.begin(async (tx) => {
        const [row] = await tx<WorkRow[]>`
          update work_items set lease_owner = null, lease_expires_at = null,
            run_after = ${runAfter.toISOString()}::timestamptz,
            available_at = ${runAfter.toISOString()}::timestamptz, last_error = ${error ?? null}
          where id = ${id} and lease_owner = ${workerId} and completed_at is null
          returning ${tx.unsafe(COLUMNS)}`;
        if (!row) return false;
        await notifyAvailable(tx, row);
        return true;
      }),

    bury: async ({ workerId, id, error }) => {
      const result = await sql`
        update work_items set completed_at = now(), dead_at = now(), lease_owner = null,
          lease_expires_at = null, requeue = false, last_error = ${error}
        where id = ${id} and lease_owner = ${workerId} and completed_at is null`;
      return result.count === 1;
    },

    onAvailable: (handler) =>
      listen(
        sql,
        WORK_CHANNEL,
        (payload) => handler(workAvailableSchema.parse(JSON.parse(payload))),
        onListenerError,
      ),
  };
}
