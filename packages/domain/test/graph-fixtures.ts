import type { Feature, FeatureId, FeatureStatus, Priority, ProjectId } from '../src/entities';

export const PROJECT = 'proj_01hzzzzzzzzzzzzzzzzzzzzzzz' as ProjectId;
export const OTHER_PROJECT = 'proj_01hyyyyyyyyyyyyyyyyyyyyyyy' as ProjectId;

/** Deterministic, valid-looking feature id for index n. */
export function fid(n: number): FeatureId {
  return `feat_01h${n.toString(32).padStart(23, '0')}` as FeatureId;
}

export interface NodeSpec {
  n: number;
  deps?: number[];
  status?: FeatureStatus;
  priority?: Priority;
  createdAt?: number;
  projectId?: ProjectId;
}

export function feature(spec: NodeSpec): Feature {
  const createdAt = new Date(spec.createdAt ?? 1_700_000_000_000 + spec.n * 1000);
  return {
    id: fid(spec.n),
    orgId: 'org_01hxxxxxxxxxxxxxxxxxxxxxxx',
    projectId: spec.projectId ?? PROJECT,
    key: `DEMO-${spec.n}`,
    title: `Feature ${spec.n}`,
    description: '',
    acceptanceCriteria: [],
    category: 'core',
    priority: spec.priority ?? 0,
    status: spec.status ?? 'pending',
    dependsOn: (spec.deps ?? []).map(fid),
    needsInput: null,
    linearIssueId: null,
    linearUrl: null,
    branchName: null,
    pullRequestUrl: null,
    counters: { reviewRounds: 0, testRounds: 0, stage: null },
    createdAt,
    updatedAt: createdAt,
  };
}

export function features(specs: NodeSpec[]): Feature[] {
  return specs.map(feature);
}
