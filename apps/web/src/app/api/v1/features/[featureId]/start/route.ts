import { routes } from '@omakase/api-contract';
import { startFeature } from '@omakase/engine';
import { ENGINE_OPTIONS, orThrow } from '@/server/pipeline';
import { toFeatureDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.startFeature, async ({ store, params }) =>
  toFeatureDto(orThrow(await startFeature(store, params.featureId, ENGINE_OPTIONS))),
);
