import { routes } from '@omakase/api-contract';
import { featureDiff } from '@/server/dashboard/feature-diff';
import { requireFeature, requireProject } from '@/server/services';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

export const GET = withApi(routes.getFeatureDiff, async ({ store, params }) => {
  const feature = await requireFeature(store, params.featureId);
  return featureDiff(await requireProject(store, feature.projectId), feature);
});
