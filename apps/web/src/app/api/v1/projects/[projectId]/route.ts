import { routes } from '@omakase/api-contract';
import { toProjectDto } from '@/server/serialize';
import { deleteProject, requireProject, updateProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.getProject, async ({ store, params }) =>
  toProjectDto(await requireProject(store, params.projectId)),
);

export const PATCH = withApi(routes.updateProject, async ({ store, params, body }) =>
  toProjectDto(await updateProject(store, params.projectId, body)),
);

export const DELETE = withApi(routes.deleteProject, ({ store, params }) =>
  deleteProject(store, params.projectId),
);
