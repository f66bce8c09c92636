import type { TenantStore } from '@omakase/domain';
import { newId } from '@omakase/domain';
import { sql } from 'drizzle-orm';
import { WORK_CHANNEL } from '../work-queue';
import type { TenantContext } from './context';

/**
 * One open item per (kind, subject). Enqueuing a subject whose item is being processed marks it
 * `requeue`, so the work is done again after the current pass instead of being lost.
 */
export function tenantWork(ctx: TenantContext): TenantStore['work'] {
  return {
    enqueue: (item) =>
      ctx.write(async (db) => {
        const runAfter = (item.runAfter ?? new Date()).toISOString();
        const [row] = await db.execute<{ id: string; run_after: string }>(sql`
          insert into work_items (id, org_id, kind, subject_id, payload, run_after, available_at)
          values (${newId('wrk')}, ${ctx.orgId}, ${item.kind}, ${item.subjectId},
                  ${JSON.stringify(item.payload ?? {})}::jsonb, ${runAfter}::timestamptz, ${runAfter}::timestamptz)
          on conflict (kind, subject_id) where completed_at is null do update set
            requeue = work_items.requeue or work_items.lease_owner is not null,
            available_at = case when work_items.lease_expires_at > now() then work_items.available_at
                  else least(work_items.available_at, excluded.available_at) end,
                run_after = least(work_items.run_after, excluded.run_after)
          where work_items.org_id = ${ctx.orgId}
          returning id, run_after::text`);
        if (!row) return;
        const notice = {
          orgId: ctx.orgId,
          kind: item.kind,
          id: row.id,
          runAfter: new Date(row.run_after).toISOString(),
        };
        await db.execute(sql`select pg_notify(${WORK_CHANNEL}, ${JSON.stringify(notice)})`);
      }),

    complete: (id, workerId) =>
      ctx.write(async (db) => {
        const rows = await db.execute<{ requeued: boolean; kind: string; run_after: string }>(sql`
          update work_items set
            completed_at = case when requeue then null else now() end,
            lease_owner = case when requeue then null else lease_owner end,
            run_after = case when requeue then now() else run_after end,
          available_at = case when requeue then now() else available_at end,
            lease_expires_at = null,
            requeue = false
          where id = ${id} and org_id = ${ctx.orgId} and lease_owner = ${workerId} and completed_at is null
          returning (completed_at is null) as requeued, kind, run_after::text`);
        const row = rows[0];
        if (row?.requeued) {
          const notice = {
            orgId: ctx.orgId,
            kind: row.kind,
            id,
            runAfter: new Date(row.run_after).toISOString(),
          };
          await db.execute(sql`select pg_notify(${WORK_CHANNEL}, ${JSON.stringify(notice)})`);
        }
        return rows.length === 1;
      }),
  };
}

/** Scheduling decisions of one org are serialised with a transaction-scoped advisory lock. */
export function lockScheduling(ctx: TenantContext): () => Promise<void> {
  return () =>
    ctx.read(async (db) => {
      if (!ctx.inTransaction) return;
      await db.execute(sql`select pg_advisory_xact_lock(7411, hashtext(${ctx.orgId}))`);
    });
}
