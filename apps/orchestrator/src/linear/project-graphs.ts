/**
 * Dependency graphs of an org's projects, each loaded once and kept current as features are
 * written: a backfill validates every issue's relations without re-listing the project per issue.
 */
import type {
  DependencyGraph,
  DependencyNode,
  Feature,
  FeatureId,
  ProjectId,
  TenantStore,
} from '@omakase/domain';

export class ProjectGraphs {
  private readonly byProject = new Map<ProjectId, Map<FeatureId, DependencyNode>>();

  constructor(private readonly store: TenantStore) {}

  /** Only `byId` is kept (all validation reads); dependants and memos are left empty. */
  async for(projectId: ProjectId): Promise<DependencyGraph> {
    let nodes = this.byProject.get(projectId);
    if (!nodes) {
      nodes = new Map((await this.store.features.list(projectId)).map((f) => [f.id, f]));
      this.byProject.set(projectId, nodes);
    }
    return { byId: nodes, dependants: new Map(), unblockCounts: new Map() };
  }

  /** Records a feature just written, so later validations see its dependencies. */
  record(feature: Feature): void {
    this.byProject.get(feature.projectId)?.set(feature.id, feature);
  }
}
