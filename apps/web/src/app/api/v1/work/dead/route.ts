import { routes } from '@omakase/api-contract';
import { toDeadWorkDto } from '@/server/dead-work';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listDeadWork, async ({ store }) => ({
  items: (await store.work.listDead()).map(toDeadWorkDto),
}));
