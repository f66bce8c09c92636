import { routes } from '@omakase/api-contract';
import { startFeature } from '@omakase/engine';
import { engineOptions, orThrow } from '@/server/pipeline';
import { toFeatureDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.startFeature, async ({ store, params }) =>
  toFeatureDto(orThrow(await startFeature(store, params.featureId, engineOptions()))),
);
