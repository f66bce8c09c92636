import { FeatureIdSchema } from '@omakase/api-contract';
import { notFound } from 'next/navigation';
import { FeatureDetail } from '@/components/feature/feature-detail';
import { getPageCaller } from '@/server/page-caller';
import { toRunDto } from '@/server/pipeline-dto';
import { storage } from '@/server/storage';

export const dynamic = 'force-dynamic';

export default async function FeaturePage({
  params,
}: {
  params: Promise<{ projectId: string; featureId: string }>;
}) {
  const page = await getPageCaller();
  if (!page.ok) notFound();
  const { projectId, featureId } = await params;
  const id = FeatureIdSchema.safeParse(featureId);
  if (!id.success) notFound();
  const store = storage().forOrg(page.caller.organization.id);
  const feature = await store.features.get(id.data);
  if (!feature || feature.projectId !== projectId) notFound();
  const runs = await store.runs.listByFeature(feature.id);
  return <FeatureDetail featureId={feature.id} initialRuns={runs.map(toRunDto)} />;
}
