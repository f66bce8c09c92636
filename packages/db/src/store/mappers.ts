import type {
  AgentRun,
  DetectedCommands,
  EventId,
  Feature,
  FeatureId,
  FeatureStatus,
  Member,
  MemberId,
  NeedsInput,
  Organization,
  OrgId,
  PipelineCounters,
  Priority,
  Project,
  ProjectId,
  ProjectSettings,
  ProjectStatus,
  Role,
  RunEvent,
  RunEventType,
  RunId,
  RunRole,
  RunStatus,
  UsageByModel,
} from '@omakase/domain';
import { DEFAULT_RUNNER_RESOURCES, roleLimitsWithDefaults } from '@omakase/domain';
import type { agentRuns, features, members, organizations, projects, runEvents } from '../schema';

// Rows are written only through this package, so the CHECK constraints and these mappers agree
// on the literal types; the casts narrow `text` columns to the domain unions.

export function toOrganization(row: typeof organizations.$inferSelect): Organization {
  return { id: row.id as OrgId, name: row.name, externalId: row.externalId, createdAt: row.createdAt };
}

export function toMember(row: typeof members.$inferSelect): Member {
  return {
    id: row.id as MemberId,
    orgId: row.orgId as OrgId,
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    createdAt: row.createdAt,
  };
}

/** A new project's flat settings; also fills in those older rows were stored without. */
export const DEFAULT_PROJECT_SETTINGS = {
  maxConcurrentAgents: 2,
  budgetPerFeatureUsd: 5,
  commandAllowlist: ['npm test', 'npm run build', 'git status', 'git diff', 'git log', 'ls', 'cat'],
  requirePlanApproval: false,
  runner: DEFAULT_RUNNER_RESOURCES,
  egressAllowlist: [] as string[],
  setupRegistries: [] as string[],
} satisfies Omit<ProjectSettings, 'commands' | 'roles'>;

/**
 * The stored settings with defaults under them. `commands` holds only what the user set and
 * `roles` only the fields they changed (merged field by field), so later defaults still apply.
 */
export function toProjectSettings(raw: unknown): ProjectSettings {
  const stored = (raw && typeof raw === 'object' ? raw : {}) as Partial<ProjectSettings>;
  return {
    ...DEFAULT_PROJECT_SETTINGS,
    ...stored,
    commands: { ...stored.commands },
    roles: roleLimitsWithDefaults(stored.roles),
  };
}

type DetectedJson = Omit<DetectedCommands, 'detectedAt'> & { detectedAt: string };

export function detectedToJson(value: DetectedCommands | null): DetectedJson | null {
  return value ? { ...value, detectedAt: value.detectedAt.toISOString() } : null;
}

function toDetected(raw: unknown): DetectedCommands | null {
  const value = raw as DetectedJson | null;
  return value ? { ...value, detectedAt: new Date(value.detectedAt) } : null;
}

export function toProject(row: typeof projects.$inferSelect): Project {
  return {
    id: row.id as ProjectId,
    orgId: row.orgId as OrgId,
    name: row.name,
    keyPrefix: row.keyPrefix,
    repositoryUrl: row.repositoryUrl,
    defaultBranch: row.defaultBranch,
    status: row.status as ProjectStatus,
    // Settings added later are absent from older rows: their defaults apply.
    settings: toProjectSettings(row.settings),
    detectedCommands: toDetected(row.detectedCommands),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

type NeedsInputJson = Omit<NeedsInput, 'askedAt'> & { askedAt: string };

export function needsInputToJson(value: NeedsInput | null): NeedsInputJson | null {
  return value ? { ...value, askedAt: value.askedAt.toISOString() } : null;
}

export function toFeature(row: typeof features.$inferSelect, dependsOn: string[]): Feature {
  const needsInput = row.needsInput as NeedsInputJson | null;
  return {
    id: row.id as FeatureId,
    orgId: row.orgId as OrgId,
    projectId: row.projectId as ProjectId,
    key: row.key,
    title: row.title,
    description: row.description,
    acceptanceCriteria: row.acceptanceCriteria as string[],
    category: row.category,
    priority: row.priority as Priority,
    status: row.status as FeatureStatus,
    dependsOn: dependsOn as FeatureId[],
    needsInput: needsInput ? { ...needsInput, askedAt: new Date(needsInput.askedAt) } : null,
    linearIssueId: row.linearIssueId,
    linearUrl: row.linearUrl,
    branchName: row.branchName,
    pullRequestUrl: row.pullRequestUrl,
    counters: row.counters as PipelineCounters,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toRun(row: typeof agentRuns.$inferSelect): AgentRun {
  return {
    id: row.id as RunId,
    orgId: row.orgId as OrgId,
    projectId: row.projectId as ProjectId,
    featureId: row.featureId as FeatureId,
    role: row.role as RunRole,
    status: row.status as RunStatus,
    attempt: row.attempt,
    input: row.input as Record<string, unknown>,
    output: row.output as Record<string, unknown> | null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    tokensIn: row.tokensIn,
    tokensOut: row.tokensOut,
    costUsd: row.costUsd,
    usageByModel: row.usageByModel as UsageByModel,
    computeSeconds: row.computeSeconds,
    exitReason: row.exitReason,
    baseCommit: row.baseCommit,
  };
}

export function toRunEvent(row: typeof runEvents.$inferSelect): RunEvent {
  return {
    id: row.id as EventId,
    orgId: row.orgId as OrgId,
    runId: row.runId as RunId,
    seq: row.seq,
    type: row.type as RunEventType,
    payload: row.payload as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}
