import { routes } from '@omakase/api-contract';
import { startProject } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toProjectDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.startProject, async ({ store, params }) => {
  const result = orThrow(await startProject(store, params.projectId));
  return toProjectDto(result);
});
