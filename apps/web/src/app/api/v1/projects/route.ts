import { routes } from '@omakase/api-contract';
import { toProjectDto } from '@/server/serialize';
import { createProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listProjects, async ({ store }) => ({
  items: (await store.projects.list()).map(toProjectDto),
}));

export const POST = withApi(routes.createProject, async ({ store, body }) =>
  toProjectDto(await createProject(store, body)),
);
