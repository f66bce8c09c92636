/** Entities → JSON DTOs (dates as ISO strings); the shapes are the contract's response schemas. */
import type { FeatureDto, ProjectDto } from '@omakase/api-contract';
import type { Feature, Project } from '@omakase/domain';

export function toProjectDto(project: Project): ProjectDto {
  return {
    id: project.id,
    orgId: project.orgId,
    name: project.name,
    keyPrefix: project.keyPrefix,
    repositoryUrl: project.repositoryUrl,
    defaultBranch: project.defaultBranch,
    status: project.status,
    settings: project.settings,
    detectedCommands: project.detectedCommands
      ? { ...project.detectedCommands, detectedAt: project.detectedCommands.detectedAt.toISOString() }
      : null,
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}

export function toFeatureDto(feature: Feature): FeatureDto {
  return {
    id: feature.id,
    orgId: feature.orgId,
    projectId: feature.projectId,
    key: feature.key,
    title: feature.title,
    description: feature.description,
    acceptanceCriteria: feature.acceptanceCriteria,
    category: feature.category,
    priority: feature.priority,
    status: feature.status,
    dependsOn: feature.dependsOn,
    needsInput: feature.needsInput
      ? { ...feature.needsInput, askedAt: feature.needsInput.askedAt.toISOString() }
      : null,
    linearIssueId: feature.linearIssueId,
    linearUrl: feature.linearUrl,
    branchName: feature.branchName,
    pullRequestUrl: feature.pullRequestUrl,
    createdAt: feature.createdAt.toISOString(),
    updatedAt: feature.updatedAt.toISOString(),
  };
}
