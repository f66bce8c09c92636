/**
 * Warm runner pools in Postgres. The hand-over of a run to a warm task is one conditional UPDATE
 * (`FOR UPDATE SKIP LOCKED` on a waiting row of the run's org), so a run goes to at most one
 * task and a task gets at most one run; a NOTIFY wakes the task's pending long-poll. Every query
 * names the org: a task can only ever be matched with runs of its own organisation.
 */
import type { OrgId, RunId } from '@omakase/domain';
import { ulid } from 'ulid';
import { type DatabaseSource, useDatabase } from '../database';
import { listen } from '../listen';

export const WARM_CHANNEL = 'omakase_warm';

/** A warm row counts while its task is starting (cold start included) or recently long-polled. */
export const WARM_FRESHNESS = { startingSeconds: 300, waitingSeconds: 60 } as const;

export type WarmClaim =
  | { state: 'unknown' }
  | { state: 'waiting' }
  | { state: 'assigned'; runId: RunId; env: Record<string, string> };

export interface WarmPoolStore {
  /**
   * Under a per-org advisory lock: forgets stale rows, then adds rows until `size` live ones
   * exist. Returns the new rows' ids; the caller starts one task per id.
   */
  reserve(orgId: OrgId, ownerId: string, size: number): Promise<string[]>;
  setHandle(orgId: OrgId, id: string, handle: string): Promise<void>;
  remove(orgId: OrgId, id: string): Promise<void>;
  /** Hands `runId` to one waiting task of `orgId`; null when none is waiting. */
  assign(
    orgId: OrgId,
    runId: RunId,
    env: Record<string, string>,
  ): Promise<{ warmId: string; handle: string } | null>;
  /** The task's long-poll: marks it waiting and resolves on its assignment or after `timeoutMs`. */
  awaitClaim(orgId: OrgId, id: string, timeoutMs: number, signal?: AbortSignal): Promise<WarmClaim>;
  close(): Promise<void>;
}

const STALE = `(status = 'starting' and created_at < now() - make_interval(secs => ${WARM_FRESHNESS.startingSeconds}))
  or (status = 'waiting' and last_seen_at < now() - make_interval(secs => ${WARM_FRESHNESS.waitingSeconds}))`;

export function createWarmPoolStore(
  source: DatabaseSource,
  opts: { maxConnections?: number } = {},
): WarmPoolStore {
  const database = useDatabase(source, { maxConnections: opts.maxConnections ?? 3 });
  const { sql } = database;

  const read = async (orgId: OrgId, id: string, heartbeat: boolean): Promise<WarmClaim> => {
    const [row] = heartbeat
      ? await sql`update warm_runners
          set last_seen_at = now(), status = case when status = 'starting' then 'waiting' else status end
          where org_id = ${orgId} and id = ${id} returning status, run_id, run_env::text as run_env`
      : await sql`select status, run_id, run_env::text as run_env from warm_runners where org_id = ${orgId} and id = ${id}`;
    if (!row) return { state: 'unknown' };
    if (row.status !== 'assigned') return { state: 'waiting' };
    // Read as text: the shared pool's json parsing belongs to drizzle.
    const env = JSON.parse(row.run_env as string) as Record<string, string>;
    return { state: 'assigned', runId: row.run_id as RunId, env };
  };

  return {
    reserve: (orgId, ownerId, size) =>
      sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`warm:${orgId}`}))`;
        await tx.unsafe(`delete from warm_runners where org_id = $1 and (${STALE})`, [orgId]);
        const [{ live }] = (await tx`select count(*)::int as live from warm_runners
          where org_id = ${orgId} and status in ('starting', 'waiting')`) as unknown as [{ live: number }];
        const ids = Array.from({ length: Math.max(0, size - live) }, () => `warm_${ulid().toLowerCase()}`);
        for (const id of ids)
          await tx`insert into warm_runners (id, org_id, owner_id) values (${id}, ${orgId}, ${ownerId})`;
        return ids;
      }),
    setHandle: async (orgId, id, handle) => {
      await sql`update warm_runners set handle = ${handle} where org_id = ${orgId} and id = ${id}`;
    },
    remove: async (orgId, id) => {
      await sql`delete from warm_runners where org_id = ${orgId} and id = ${id}`;
    },
    assign: async (orgId, runId, env) => {
      const rows = await sql`
        with picked as (
          select id from warm_runners
          where org_id = ${orgId} and status = 'waiting' and handle is not null
            and last_seen_at > now() - make_interval(secs => ${WARM_FRESHNESS.waitingSeconds})
          order by created_at limit 1 for update skip locked
        )
        update warm_runners w set status = 'assigned', run_id = ${runId}, run_env = ${JSON.stringify(env)}::jsonb,
          assigned_at = now()
        from picked where w.id = picked.id and w.org_id = ${orgId}
        returning w.id, w.handle, pg_notify(${WARM_CHANNEL}, w.id)`;
      const row = rows[0];
      return row ? { warmId: row.id as string, handle: row.handle as string } : null;
    },
    awaitClaim: async (orgId, id, timeoutMs, signal) => {
      let wake: () => void = () => {};
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      // Listen before reading, so an assignment between the read and the wait is not missed.
      const unlisten = await listen(
        sql,
        WARM_CHANNEL,
        (payload) => payload === id && wake(),
        () => {},
      );
      const timer = setTimeout(wake, timeoutMs);
      signal?.addEventListener('abort', wake, { once: true });
      try {
        const first = await read(orgId, id, true);
        if (first.state !== 'waiting') return first;
        await woken;
        return await read(orgId, id, false);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        await unlisten();
      }
    },
    close: database.close,
  };
}
