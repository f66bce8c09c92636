import { routes } from '@omakase/api-contract';
import { stopProject } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toProjectDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.stopProject, async ({ store, params }) => {
  const result = orThrow(await stopProject(store, params.projectId));
  return toProjectDto(result.project);
});
