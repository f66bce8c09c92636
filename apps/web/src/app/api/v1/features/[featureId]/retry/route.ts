import { routes } from '@omakase/api-contract';
import { retryFeature } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toFeatureDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.retryFeature, async ({ store, params }) =>
  toFeatureDto(orThrow(await retryFeature(store, params.featureId))),
);
