/**
 * The domain's entities. Plain data: no methods, no vendor types, no I/O.
 * Every tenant-owned entity carries its organisation's id.
 */

import type { NeedsInputReason } from './pipeline-events';
import type {
  ProjectCommandName,
  ProjectCommands,
  ProjectRoleLimits,
  RunnerResources,
} from './project-settings';
export type OrgId = `org_${string}`;
export type MemberId = `mem_${string}`;
export type ProjectId = `proj_${string}`;
export type FeatureId = `feat_${string}`;
export type RunId = `run_${string}`;
export type EventId = `evt_${string}`;

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Organization {
  id: OrgId;
  name: string;
  /** Auth0 organisation id (`org_id` claim) this tenant maps to. */
  externalId: string;
  createdAt: Date;
}

export interface Member {
  id: MemberId;
  orgId: OrgId;
  /** Identity provider subject (`sub` claim). */
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface ProjectSettings {
  maxConcurrentAgents: number;
  budgetPerFeatureUsd: number;
  /** Shell command prefixes agents may run, e.g. `npm test`, `git status`. */
  commandAllowlist: string[];
  /** A human approves (or sends back) the architect's plan before coding starts. */
  requirePlanApproval: boolean;
  /** Commands the user set; each unset one falls back to the detected one (`effectiveCommands`). */
  commands: ProjectCommands;
  /** Per role: model, maximum turns, wall clock and shell command timeout. */
  roles: ProjectRoleLimits;
  /** Cloud runner size per run (ECS task overrides). */
  runner: RunnerResources;
  /** Extra `host` or `host:port` destinations (443 when no port) agents may reach. */
  egressAllowlist: string[];
  /** Registry URLs setup may use instead of the machine's configured ones; empty: the machine's. */
  setupRegistries: string[];
}

/** A command found in the repository, and where (e.g. `package.json scripts.test`). */
export interface DetectedCommand {
  command: string;
  source: string;
}

/** What detection found on the default branch's commit `baseCommit`. */
export interface DetectedCommands {
  commands: Partial<Record<ProjectCommandName, DetectedCommand>>;
  baseCommit: string;
  detectedAt: Date;
}

export const PROJECT_STATUSES = ['active', 'paused'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface Project {
  id: ProjectId;
  orgId: OrgId;
  name: string;
  /** Feature keys are `<keyPrefix>-<n>`, e.g. DEMO-12. */
  keyPrefix: string;
  repositoryUrl: string;
  defaultBranch: string;
  status: ProjectStatus;
  settings: ProjectSettings;
  /** Null until the orchestrator first read the repository. */
  detectedCommands: DetectedCommands | null;
  createdAt: Date;
  updatedAt: Date;
}

export const FEATURE_STATUSES = [
  'pending',
  'setting_up',
  'architecting',
  'coding',
  'reviewing',
  'testing',
  'done',
  'needs_input',
  'failed',
  'cancelled',
] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];

/** A stage is in flight (an environment setup, an agent or a push): the one list of them. */
export const ACTIVE_FEATURE_STATUSES = [
  'setting_up',
  'architecting',
  'coding',
  'reviewing',
  'testing',
] as const satisfies readonly FeatureStatus[];
export const isActiveStatus = (status: FeatureStatus): boolean =>
  (ACTIVE_FEATURE_STATUSES as readonly FeatureStatus[]).includes(status);

/** Linear's scale: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
export const PRIORITIES = [0, 1, 2, 3, 4] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface NeedsInput {
  question: string;
  answer: string | null;
  askedAt: Date;
  /** What the question is about (`plan_approval`: approve the architect's plan, or revise it). */
  reason?: NeedsInputReason;
}

/**
 * Pipeline sub-stages. `pushing` runs with status `testing` (tests passed, branch/PR not yet pushed).
 * Added by the domain owner: needs_input/failed/cancelled must remember where to resume.
 */
export const PIPELINE_STAGES = [
  'setting_up',
  'architecting',
  'coding',
  'reviewing',
  'testing',
  'pushing',
] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Counters the pipeline needs to bound its loops; kept with the feature. */
export interface PipelineCounters {
  reviewRounds: number;
  testRounds: number;
  /**
   * The stage running (active statuses) or to resume from (needs_input, failed, cancelled).
   * Absent/null: not started (pending) or done. Persist it with the counters.
   */
  stage?: PipelineStage | null;
  /** Why the feature failed (status `failed`): the last stage failure's reason; cleared on any other move. */
  lastFailure?: string | null;
  /** While `needs_input`: what the question is about (the answer is routed by it). */
  awaiting?: NeedsInputReason | null;
}

export interface Feature {
  id: FeatureId;
  orgId: OrgId;
  projectId: ProjectId;
  key: string;
  title: string;
  description: string;
  acceptanceCriteria: string[];
  category: string;
  priority: Priority;
  status: FeatureStatus;
  dependsOn: FeatureId[];
  needsInput: NeedsInput | null;
  linearIssueId: string | null;
  linearUrl: string | null;
  branchName: string | null;
  pullRequestUrl: string | null;
  counters: PipelineCounters;
  createdAt: Date;
  updatedAt: Date;
}

export const AGENT_ROLES = ['architect', 'coder', 'reviewer', 'tester'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/**
 * What a run does: one of the agents, or `setup` — the project's own setup command in the
 * sandbox (no model), which installs the feature's environment before its first agent.
 */
export const RUN_ROLES = ['setup', ...AGENT_ROLES] as const;
export type RunRole = (typeof RUN_ROLES)[number];

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run waiting for or holding compute: the one list of them. */
export const LIVE_RUN_STATUSES = ['queued', 'running'] as const satisfies readonly RunStatus[];
/** A run that ended (its outcome): the one list of them. */
export const FINISHED_RUN_STATUSES = [
  'succeeded',
  'failed',
  'cancelled',
] as const satisfies readonly RunStatus[];
/** Take any status text (wire shapes carry it as a string). */
export const isLiveRun = (run: { status: string }): boolean =>
  (LIVE_RUN_STATUSES as readonly string[]).includes(run.status);
export const isFinishedRun = (run: { status: string }): boolean =>
  (FINISHED_RUN_STATUSES as readonly string[]).includes(run.status);

export interface AgentRun {
  id: RunId;
  orgId: OrgId;
  projectId: ProjectId;
  featureId: FeatureId;
  role: RunRole;
  status: RunStatus;
  attempt: number;
  /** What the agent was given: plan, review comments, test failures, human answer. */
  input: Record<string, unknown>;
  /** The structured result the role submitted (plan, review, test report). */
  output: Record<string, unknown> | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  /** The SDK's per-model usage; `tokensIn` is their input, cache reads and cache writes summed. */
  usageByModel: UsageByModel;
  computeSeconds: number;
  exitReason: string | null;
  /** The commit the feature's branch forked from, as the orchestrator seeded it; null before. */
  baseCommit: string | null;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  costUsd: number;
}
export type UsageByModel = Record<string, ModelUsage>;

export const RUN_EVENT_TYPES = [
  'thought',
  'tool_call',
  'file_edit',
  'command',
  'output',
  'verdict',
  'usage',
  'error',
] as const;
export type RunEventType = (typeof RUN_EVENT_TYPES)[number];

/** What an event adds to its run's byte total (the per-run cap): its payload as JSON, in UTF-8. */
export const runEventPayloadBytes = (payload: unknown): number =>
  new TextEncoder().encode(JSON.stringify(payload)).byteLength;

export interface RunEvent {
  id: EventId;
  orgId: OrgId;
  runId: RunId;
  /** 1-based, gap-free, ordered per run. */
  seq: number;
  type: RunEventType;
  payload: Record<string, unknown>;
  createdAt: Date;
}
