/** Runs the domain's dependency rules (unknown, self, cycle with its path, > 20) against the project. */
import type { FeatureId, ProjectId, TenantStore } from '@omakase/domain';
import { validateDependencies } from '@omakase/domain';
import { ApiError } from './api-error';

export async function checkDependencies(
  store: TenantStore,
  subject: { projectId: ProjectId; featureId: FeatureId | null; dependsOn: readonly FeatureId[] },
): Promise<FeatureId[]> {
  const features = await store.features.list(subject.projectId);
  const result = validateDependencies(
    { id: subject.featureId, projectId: subject.projectId, dependsOn: subject.dependsOn },
    features,
  );
  if (result.ok) return result.value;
  const { code, message, field, details } = result.error;
  const apiCode =
    code === 'dependency_cycle' ||
    code === 'unknown_dependency' ||
    code === 'self_dependency' ||
    code === 'too_many_dependencies'
      ? code
      : 'validation_failed';
  throw new ApiError(apiCode, message, field ?? 'dependsOn', details);
}
