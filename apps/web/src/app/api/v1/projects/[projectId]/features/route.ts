import { routes } from '@omakase/api-contract';
import { toFeatureDto } from '@/server/serialize';
import { createFeature, requireProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listFeatures, async ({ store, params }) => {
  await requireProject(store, params.projectId);
  return { items: (await store.features.list(params.projectId)).map(toFeatureDto) };
});

export const POST = withApi(routes.createFeature, async ({ store, params, body }) =>
  toFeatureDto(await createFeature(store, params.projectId, body)),
);
