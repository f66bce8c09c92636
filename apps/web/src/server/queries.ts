/** Read models for the pages. */
import type { Feature, FeatureStatus, Project, TenantStore } from '@omakase/domain';

export interface ProjectSummary {
  project: Project;
  counts: Partial<Record<FeatureStatus, number>>;
}

export async function projectSummaries(store: TenantStore): Promise<ProjectSummary[]> {
  const projects = await store.projects.list();
  return Promise.all(
    projects.map(async (project) => ({
      project,
      counts: countByStatus(await store.features.list(project.id)),
    })),
  );
}

export function countByStatus(features: readonly Feature[]): Partial<Record<FeatureStatus, number>> {
  const counts: Partial<Record<FeatureStatus, number>> = {};
  for (const feature of features) counts[feature.status] = (counts[feature.status] ?? 0) + 1;
  return counts;
}
