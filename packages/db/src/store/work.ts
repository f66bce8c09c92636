import type { DeadWorkItem, TenantStore } from '@omakase/domain';
import { newId } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import { WORK_CHANNEL } from '../work-queue';
import type { Db, TenantContext } from './context';

/** The `WorkAvailable` notice of the statement's `item` row, built in SQL. */
const availableNotice = (ctx: TenantContext) => sql`json_build_object(
  'orgId', ${ctx.orgId}::text, 'kind', item.kind, 'id', item.id,
  'runAfter', to_char(item.run_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`;

/**
 * One open item per (kind, subject). Enqueuing a subject whose item is being processed marks it
 * `requeue`, so the work is done again after the current pass instead of being lost.
 */
export function tenantWork(ctx: TenantContext): TenantStore['work'] {
  // On the caller's connection: `retryDead` inserts in the same transaction as its delete.
  const insertItem = (db: Db, item: Parameters<TenantStore['work']['enqueue']>[0]) => {
    const runAfter = (item.runAfter ?? new Date()).toISOString();
    // The wake-up goes in the same statement: idle workers hear of the item on commit.
    return db.execute(sql`
      with item as (
        insert into work_items (id, org_id, kind, subject_id, payload, run_after, available_at)
        values (${newId('wrk')}, ${ctx.orgId}, ${item.kind}, ${item.subjectId},
                ${JSON.stringify(item.payload ?? {})}::jsonb, ${runAfter}::timestamptz, ${runAfter}::timestamptz)
        on conflict (kind, subject_id) where completed_at is null do update set
          requeue = work_items.requeue or work_items.lease_owner is not null,
          available_at = case when work_items.lease_expires_at > now() then work_items.available_at
                else least(work_items.available_at, excluded.available_at) end,
              run_after = least(work_items.run_after, excluded.run_after)
        where work_items.org_id = ${ctx.orgId}
        returning id, kind, run_after
      )
      select pg_notify(${WORK_CHANNEL}, ${availableNotice(ctx)}) from item`);
  };

  return {
    enqueue: (item) =>
      ctx.write(async (db) => {
        await insertItem(db, item);
      }),

    complete: (id, workerId) =>
      ctx.write(async (db) => {
        // A requeued item (enqueued again while in hand) is due now: its wake-up rides along.
        const rows = await db.execute<{ id: string }>(sql`
          with item as (
            update work_items set
              completed_at = case when requeue then null else now() end,
              lease_owner = case when requeue then null else lease_owner end,
              run_after = case when requeue then now() else run_after end,
              available_at = case when requeue then now() else available_at end,
              lease_expires_at = null,
              requeue = false
            where id = ${id} and org_id = ${ctx.orgId} and lease_owner = ${workerId} and completed_at is null
            returning id, kind, run_after, completed_at
          )
          select id, case when completed_at is null
            then pg_notify(${WORK_CHANNEL}, ${availableNotice(ctx)}) end
          from item`);
        return rows.length === 1;
      }),

    listDead: (opts) =>
      ctx.read(async (db) => {
        const rows = await db.execute<DeadRow>(sql`
          select ${DEAD_COLUMNS} from work_items where org_id = ${ctx.orgId} and dead_at is not null
          order by dead_at desc, id desc limit ${opts?.limit ?? 100}`);
        return rows.map(toDead);
      }),

    retryDead: (id) =>
      ctx.write(async (db) => {
        const [row] = await db.execute<DeadRow>(sql`
          delete from work_items where id = ${id} and org_id = ${ctx.orgId} and dead_at is not null
          returning ${DEAD_COLUMNS}`);
        if (!row) return null;
        await insertItem(db, { kind: row.kind, subjectId: row.subject_id, payload: row.payload });
        return toDead(row);
      }),
  };
}

const DEAD_COLUMNS = sql.raw(
  'id, kind, subject_id, payload, attempts, last_error, created_at::text, dead_at::text',
);

interface DeadRow extends Record<string, unknown> {
  id: string;
  kind: string;
  subject_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  created_at: string;
  dead_at: string;
}

const toDead = (row: DeadRow): DeadWorkItem => ({
  id: row.id,
  kind: row.kind,
  subjectId: row.subject_id,
  payload: row.payload,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: new Date(row.created_at),
  deadAt: new Date(row.dead_at),
});
