import { routes } from '@omakase/api-contract';
import { toFeatureDto } from '@/server/serialize';
import { deleteFeature, requireFeature, updateFeature } from '@/server/services';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.getFeature, async ({ store, params }) =>
  toFeatureDto(await requireFeature(store, params.featureId)),
);

export const PATCH = withApi(routes.updateFeature, async ({ store, params, body }) =>
  toFeatureDto(await updateFeature(store, params.featureId, body)),
);

export const DELETE = withApi(routes.deleteFeature, ({ store, params }) =>
  deleteFeature(store, params.featureId),
);
