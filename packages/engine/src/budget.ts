/** A feature's budget, defined once (launch decisions, the runner's spec, budget events). */
import type { AgentRun, Feature, Project, TenantStore } from '@omakase/domain';

export interface FeatureBudget {
  spentUsd: number;
  budgetUsd: number;
  /** What the next run may spend (never zero: a runner needs a positive cap). */
  remainingUsd: number;
}

/** The one definition of a feature's budget: the project's per-feature cap against every run's cost. */
export async function featureBudget(
  store: TenantStore,
  feature: Pick<Feature, 'id'>,
  project: Pick<Project, 'settings'>,
): Promise<FeatureBudget> {
  return budgetFrom((await store.runs.costByFeature(feature.id)).costUsd, project);
}

/** The same, from the feature's runs as a snapshot holds them. */
export const budgetOf = (runs: Pick<AgentRun, 'costUsd'>[], project: Pick<Project, 'settings'>) =>
  budgetFrom(
    runs.reduce((sum, run) => sum + run.costUsd, 0),
    project,
  );

/** A budget from what the feature spent so far. */
export function budgetFrom(spentUsd: number, project: Pick<Project, 'settings'>): FeatureBudget {
  const budgetUsd = project.settings.budgetPerFeatureUsd;
  return { spentUsd, budgetUsd, remainingUsd: Math.max(0.01, budgetUsd - spentUsd) };
}
