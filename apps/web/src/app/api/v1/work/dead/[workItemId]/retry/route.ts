import { routes } from '@omakase/api-contract';
import { ApiError } from '@/server/api-error';
import { toDeadWorkDto } from '@/server/dead-work';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.retryDeadWork, async ({ store, params }) => {
  const retried = await store.work.retryDead(params.workItemId);
  if (!retried) throw new ApiError('not_found', 'no dead work item with that id');
  return toDeadWorkDto(retried);
});
