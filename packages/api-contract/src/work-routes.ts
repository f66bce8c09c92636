/** Dead letters: work items that failed all their attempts, for admins to see and retry (see routes.ts). */
import { z } from 'zod';
import { IsoDateSchema } from './primitives';

export const DeadWorkItemDto = z.object({
  id: z.string(),
  kind: z.string(),
  subjectId: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: IsoDateSchema,
  deadAt: IsoDateSchema,
});
export type DeadWorkItemDto = z.infer<typeof DeadWorkItemDto>;
export const DeadWorkList = z.object({ items: z.array(DeadWorkItemDto) });
export const DeadWorkParams = z.object({
  workItemId: z.string().regex(/^wrk_[0-9a-z]{26}$/, 'must be a work item id (wrk_<ulid>)'),
});

export const workRoutes = {
  listDeadWork: {
    method: 'GET',
    path: '/api/v1/work/dead',
    operationId: 'listDeadWork',
    summary: 'Work items that failed all their attempts (dead letters), newest first',
    tag: 'pipeline',
    action: 'work:manage',
    status: 200,
    response: DeadWorkList,
  },
  retryDeadWork: {
    method: 'POST',
    path: '/api/v1/work/dead/{workItemId}/retry',
    operationId: 'retryDeadWork',
    summary: 'Run a dead letter again (attempts from zero); 404 when there is no such dead item',
    tag: 'pipeline',
    action: 'work:manage',
    params: DeadWorkParams,
    status: 200,
    response: DeadWorkItemDto,
  },
} as const;
