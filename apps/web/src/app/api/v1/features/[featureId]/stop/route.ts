import { routes } from '@omakase/api-contract';
import { stopFeature } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toFeatureDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.stopFeature, async ({ store, params }) =>
  toFeatureDto(orThrow(await stopFeature(store, params.featureId))),
);
