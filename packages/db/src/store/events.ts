import type { ProjectId, RunId, TenantStore } from '@omakase/domain';
import { newId, runEventPayloadBytes } from '@omakase/domain';
import { asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { StorageError } from '../errors';
import { agentRuns, runEvents } from '../schema';
import type { TenantContext } from './context';
import { toRunEvent } from './mappers';

const MAX_LIST_LIMIT = 1000;

export function eventRepository(ctx: TenantContext): TenantStore['events'] {
  return {
    append: (runId, events, opts = {}) =>
      ctx.write(async (db, emit) => {
        if (events.length === 0) return [];
        const bytes = events.reduce((sum, event) => sum + runEventPayloadBytes(event.payload), 0);
        // Reserving the range bumps the run's counter under its row lock, held until commit:
        // concurrent appenders queue up, and a rollback gives the numbers back (no gaps).
        const [run] = await db
          .update(agentRuns)
          .set({
            nextEventSeq: sql`${agentRuns.nextEventSeq} + ${events.length}`,
            eventBytes: sql`${agentRuns.eventBytes} + ${bytes}`,
            ...(opts.closeLog ? { eventsTruncated: true } : {}),
          })
          .where(ctx.where(agentRuns, eq(agentRuns.id, runId)))
          .returning({
            first: sql<number>`${agentRuns.nextEventSeq} - ${events.length}`,
            projectId: agentRuns.projectId,
          });
        if (!run) throw new StorageError('not_found', `run ${runId} not found`);
        const rows = await db
          .insert(runEvents)
          .values(
            events.map((event, index) =>
              ctx.owned({
                id: newId('evt'),
                runId,
                seq: run.first + index,
                type: event.type,
                payload: event.payload,
              }),
            ),
          )
          .returning();
        // One change per append: subscribers re-read the run's events after their last seq.
        emit({ projectId: run.projectId as ProjectId, entity: 'event', id: runId, op: 'insert' });
        return rows.map(toRunEvent).sort((a, b) => a.seq - b.seq);
      }),

    usage: (runId, opts = {}) =>
      ctx.read(async (db) => {
        const query = db
          .select({
            next: agentRuns.nextEventSeq,
            bytes: agentRuns.eventBytes,
            truncated: agentRuns.eventsTruncated,
          })
          .from(agentRuns)
          .where(ctx.where(agentRuns, eq(agentRuns.id, runId)));
        const [row] = opts.lock ? await query.for('update') : await query;
        return row ? { events: row.next - 1, bytes: row.bytes, truncated: row.truncated } : null;
      }),

    list: (runId, opts = {}) =>
      ctx.read(async (db) => {
        const limit = Math.min(Math.max(opts.limit ?? MAX_LIST_LIMIT, 1), MAX_LIST_LIMIT);
        const rows = await db
          .select()
          .from(runEvents)
          .where(ctx.where(runEvents, eq(runEvents.runId, runId), gt(runEvents.seq, opts.afterSeq ?? 0)))
          .orderBy(asc(runEvents.seq))
          .limit(limit);
        return rows.map(toRunEvent);
      }),

    latestOfType: (runIds, type) =>
      ctx.read(async (db) => {
        if (runIds.length === 0) return new Map();
        const rows = await db
          .selectDistinctOn([runEvents.runId])
          .from(runEvents)
          .where(ctx.where(runEvents, inArray(runEvents.runId, runIds), eq(runEvents.type, type)))
          .orderBy(asc(runEvents.runId), desc(runEvents.seq));
        return new Map(rows.map((row) => [row.runId as RunId, toRunEvent(row)]));
      }),
  };
}
