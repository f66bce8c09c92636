import { routes } from '@omakase/api-contract';
import { pauseProject } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toProjectDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.pauseProject, async ({ store, params }) => {
  const result = orThrow(await pauseProject(store, params.projectId));
  return toProjectDto(result);
});
