import { routes } from '@omakase/api-contract';
import { loadBoard } from '@/server/dashboard/board';
import { requireProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

export const GET = withApi(routes.getProjectBoard, async ({ store, params }) =>
  loadBoard(store, await requireProject(store, params.projectId)),
);
