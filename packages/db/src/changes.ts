import type { Change, ChangeFeed, OrgId, ProjectId } from '@omakase/domain';
import type postgres from 'postgres';
import { z } from 'zod';
import { listen } from './listen';
import { CHANGES_CHANNEL } from './store/context';

const changeSchema = z.object({
  orgId: z.custom<OrgId>((v) => typeof v === 'string' && v.startsWith('org_')),
  projectId: z.custom<ProjectId>((v) => typeof v === 'string' && v.startsWith('proj_')).nullable(),
  entity: z.enum(['project', 'feature', 'run', 'event', 'member']),
  id: z.string(),
  op: z.enum(['insert', 'update', 'delete']),
  status: z.string().optional(),
});

/**
 * Change feed over LISTEN/NOTIFY. Payloads are published by `TenantContext.write` inside the
 * writing transaction, so subscribers only ever hear about committed writes.
 * For `entity: 'event'` the `id` is the run id (one change per append).
 */
export function createChangeFeed(sql: postgres.Sql, onError: (error: unknown) => void): ChangeFeed {
  return {
    subscribe: (handler) =>
      listen(
        sql,
        CHANGES_CHANNEL,
        (payload) => handler(changeSchema.parse(JSON.parse(payload)) satisfies Change),
        onError,
      ),
  };
}
