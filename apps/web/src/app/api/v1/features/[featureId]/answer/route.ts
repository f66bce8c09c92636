import { routes } from '@omakase/api-contract';
import { answerFeature } from '@omakase/engine';
import { orThrow } from '@/server/pipeline';
import { toFeatureDto } from '@/server/serialize';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.answerFeature, async ({ store, params, body }) =>
  toFeatureDto(orThrow(await answerFeature(store, params.featureId, body.answer))),
);
