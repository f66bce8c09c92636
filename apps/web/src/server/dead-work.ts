/** Dead letters (work items out of attempts) as the API and the settings page show them. */
import type { DeadWorkItemDto } from '@omakase/api-contract';
import type { DeadWorkItem } from '@omakase/domain';

export const toDeadWorkDto = (item: DeadWorkItem): DeadWorkItemDto => ({
  id: item.id,
  kind: item.kind,
  subjectId: item.subjectId,
  attempts: item.attempts,
  lastError: item.lastError,
  createdAt: item.createdAt.toISOString(),
  deadAt: item.deadAt.toISOString(),
});
