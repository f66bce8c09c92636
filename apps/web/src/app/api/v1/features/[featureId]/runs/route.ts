import { routes } from '@omakase/api-contract';
import { toRunDto } from '@/server/pipeline-dto';
import { requireFeature } from '@/server/services';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listFeatureRuns, async ({ store, params }) => {
  const feature = await requireFeature(store, params.featureId);
  const [runs, totals] = await Promise.all([
    store.runs.listByFeature(feature.id),
    store.runs.costByFeature(feature.id),
  ]);
  return { runs: runs.map(toRunDto), totals };
});
