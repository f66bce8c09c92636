/**
 * Project and feature operations shared by the API handlers and the pages' server actions.
 * They take a tenant store (already bound to the caller's org, and a transaction for writes).
 */
import type {
  CreateFeatureBody,
  CreateProjectBody,
  UpdateFeatureBody,
  UpdateProjectBody,
} from '@omakase/api-contract';
import type { Feature, FeatureId, Project, ProjectId, TenantStore } from '@omakase/domain';
import { WORK } from '@omakase/engine';
import { notFound } from './api-error';
import { checkDependencies } from './dependencies';
import { assertRepositoryAllowed } from './repository-policy';

export async function requireProject(store: TenantStore, id: ProjectId): Promise<Project> {
  const project = await store.projects.get(id);
  if (!project) throw notFound('project');
  return project;
}

export async function requireFeature(store: TenantStore, id: FeatureId): Promise<Feature> {
  const feature = await store.features.get(id);
  if (!feature) throw notFound('feature');
  return feature;
}

export async function createProject(store: TenantStore, body: CreateProjectBody): Promise<Project> {
  await assertRepositoryAllowed(store.orgId, body.repositoryUrl);
  const project = await store.projects.create(body);
  // The orchestrator reads the repository's commands (detection never runs in the web).
  await store.work.enqueue({ kind: WORK.detect, subjectId: project.id });
  return project;
}

export async function updateProject(store: TenantStore, id: ProjectId, patch: UpdateProjectBody) {
  const current = await requireProject(store, id);
  // Only a new URL is checked: saving other settings never fails on a URL stored before (the
  // orchestrator checks it again before every fetch and push).
  if (patch.repositoryUrl !== undefined && patch.repositoryUrl !== current.repositoryUrl)
    await assertRepositoryAllowed(store.orgId, patch.repositoryUrl);
  const moved =
    (patch.repositoryUrl !== undefined && patch.repositoryUrl !== current.repositoryUrl) ||
    (patch.defaultBranch !== undefined && patch.defaultBranch !== current.defaultBranch);
  // Another repository or branch: what was detected on the old one no longer applies.
  const updated = await store.projects.update(id, moved ? { ...patch, detectedCommands: null } : patch);
  if (!updated) throw notFound('project');
  if (moved) await store.work.enqueue({ kind: WORK.detect, subjectId: id });
  return updated;
}

export async function deleteProject(store: TenantStore, id: ProjectId): Promise<void> {
  if (!(await store.projects.delete(id))) throw notFound('project');
}

export async function createFeature(store: TenantStore, projectId: ProjectId, body: CreateFeatureBody) {
  const project = await requireProject(store, projectId);
  if (body.dependsOn?.length) {
    await checkDependencies(store, { projectId, featureId: null, dependsOn: body.dependsOn });
  }
  const feature = await store.features.create(projectId, body);
  // A running project picks new ready work up at once.
  if (project.status === 'active') await store.work.enqueue({ kind: WORK.schedule, subjectId: projectId });
  return feature;
}

export async function updateFeature(store: TenantStore, id: FeatureId, patch: UpdateFeatureBody) {
  const feature = await requireFeature(store, id);
  if (patch.dependsOn) {
    await checkDependencies(store, {
      projectId: feature.projectId,
      featureId: id,
      dependsOn: patch.dependsOn,
    });
  }
  const updated = await store.features.update(id, patch);
  if (!updated) throw notFound('feature');
  if (patch.dependsOn) await store.work.enqueue({ kind: WORK.schedule, subjectId: feature.projectId });
  return updated;
}

export async function deleteFeature(store: TenantStore, id: FeatureId): Promise<void> {
  if (!(await store.features.delete(id))) throw notFound('feature');
}
