/**
 * The storage port: what the application needs from persistence, in domain terms.
 * `packages/db` implements it on Postgres; a Convex implementation can follow.
 *
 * Tenancy is structural: everything tenant-owned is reached through `Storage.forOrg(orgId)`,
 * which returns a `TenantStore` bound to that organisation. No method takes an org id.
 */
import type {
  AgentRun,
  DetectedCommands,
  Feature,
  FeatureId,
  FeatureStatus,
  Member,
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
} from './entities';
import type { LinearIssueLinks } from './linear-ports';
import type { PipelineUnits } from './pipeline-units';
import type { ProjectSettingsPatchFields } from './project-settings';
import type { NewAuditEntry } from './security-ports';

/** A partial settings update (see `mergeSettingsPatch`: commands and roles merge per key, null clears). */
export type ProjectSettingsPatch = Partial<Omit<ProjectSettings, 'commands' | 'roles'>> &
  ProjectSettingsPatchFields;

export interface NewProject {
  name: string;
  keyPrefix: string;
  repositoryUrl: string;
  defaultBranch?: string;
  settings?: ProjectSettingsPatch;
}

export interface ProjectPatch {
  name?: string;
  repositoryUrl?: string;
  defaultBranch?: string;
  status?: ProjectStatus;
  settings?: ProjectSettingsPatch;
  /** Written by the orchestrator after reading the repository (null: forget them). */
  detectedCommands?: DetectedCommands | null;
}

export interface NewFeature {
  title: string;
  description?: string;
  acceptanceCriteria?: string[];
  category?: string;
  priority?: Priority;
  dependsOn?: FeatureId[];
  linearIssueId?: string | null;
  linearUrl?: string | null;
}

export interface FeaturePatch {
  title?: string;
  description?: string;
  acceptanceCriteria?: string[];
  category?: string;
  priority?: Priority;
  dependsOn?: FeatureId[];
  status?: FeatureStatus;
  needsInput?: NeedsInput | null;
  branchName?: string | null;
  pullRequestUrl?: string | null;
  linearIssueId?: string | null;
  linearUrl?: string | null;
  counters?: PipelineCounters;
}

export interface NewRun {
  featureId: FeatureId;
  /** The feature's project, when the caller has just read the feature (saves the lookup). */
  projectId?: ProjectId;
  role: RunRole;
  attempt?: number;
  input?: Record<string, unknown>;
}

export interface RunPatch {
  status?: RunStatus;
  output?: Record<string, unknown> | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number;
  usageByModel?: UsageByModel;
  computeSeconds?: number;
  exitReason?: string | null;
  baseCommit?: string | null;
}

/** The project's test command run on a base commit by a setup run, before any agent ran. */
export interface TestBaseline {
  projectId: ProjectId;
  baseCommit: string;
  command: string;
  /** The runner's summary: `{exitCode, failing, format}`; opaque to the store. */
  summary: Record<string, unknown>;
  runId: RunId;
  reuses: number;
  createdAt: Date;
}

export interface NewRunEvent {
  type: RunEventType;
  payload: Record<string, unknown>;
}

/** A run's stored log: events (the marker included), their payload bytes, and whether it is closed. */
export interface RunEventUsage {
  events: number;
  bytes: number;
  truncated: boolean;
}

export interface CostTotals {
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  computeSeconds: number;
  runs: number;
}

/** All reads and writes of one organisation. Writes publish a `Change`. */
export interface TenantStore {
  readonly orgId: OrgId;
  organization(): Promise<Organization>;

  members: {
    list(): Promise<Member[]>;
    getByUserId(userId: string): Promise<Member | null>;
    add(input: { userId: string; email: string; name: string; role: Role }): Promise<Member>;
  };

  projects: {
    list(): Promise<Project[]>;
    get(id: ProjectId): Promise<Project | null>;
    create(input: NewProject): Promise<Project>;
    update(id: ProjectId, patch: ProjectPatch): Promise<Project | null>;
    delete(id: ProjectId): Promise<boolean>;
  };

  features: {
    list(projectId: ProjectId): Promise<Feature[]>;
    /** Features of every project of the org with an agent stage in flight (capacity accounting). */
    listActive(): Promise<Feature[]>;
    get(id: FeatureId): Promise<Feature | null>;
    /** Creates with the next key of the project (`DEMO-13`). Dependencies must be validated first. */
    create(projectId: ProjectId, input: NewFeature): Promise<Feature>;
    /** `expectedStatus` makes the update conditional (optimistic concurrency); null when it did not match. */
    update(
      id: FeatureId,
      patch: FeaturePatch,
      opts?: { expectedStatus?: FeatureStatus },
    ): Promise<Feature | null>;
    delete(id: FeatureId): Promise<boolean>;
  };

  runs: {
    listByFeature(featureId: FeatureId): Promise<AgentRun[]>;
    get(id: RunId): Promise<AgentRun | null>;
    create(input: NewRun): Promise<AgentRun>;
    /** `expectedStatus` makes the update conditional; null when it did not match. */
    update(id: RunId, patch: RunPatch, opts?: { expectedStatus?: RunStatus }): Promise<AgentRun | null>;
    costByFeature(featureId: FeatureId): Promise<CostTotals>;
    costByProject(projectId: ProjectId): Promise<CostTotals>;
    /** Totals of every feature of the project that has runs, in one query (board cards). */
    costByFeatures(projectId: ProjectId): Promise<Map<FeatureId, CostTotals>>;
    /** Queued and running runs of the project, oldest first (agents panel, board stages). */
    listActiveByProject(projectId: ProjectId): Promise<AgentRun[]>;
  };

  /** Test runs of the project's test command on a base commit (see `TestBaseline`). */
  baselines: {
    get(projectId: ProjectId, baseCommit: string, command: string): Promise<TestBaseline | null>;
    /** First writer wins: false when one was stored already. */
    put(baseline: Omit<TestBaseline, 'reuses' | 'createdAt'>): Promise<boolean>;
    /** Counts one run that compared against it instead of running the suite on the base. */
    countReuse(projectId: ProjectId, baseCommit: string, command: string): Promise<void>;
  };

  events: {
    /**
     * Appends in order with the run's next sequence numbers and adds the payloads' JSON bytes to
     * the run's total; never updates or deletes. `closeLog` marks the log truncated (no more).
     */
    append(runId: RunId, events: NewRunEvent[], opts?: { closeLog?: boolean }): Promise<RunEvent[]>;
    /**
     * What the run's log holds so far; `lock` keeps the run's row locked until the transaction
     * ends, so a cap checked against it holds for concurrent appenders on any process.
     */
    usage(runId: RunId, opts?: { lock?: boolean }): Promise<RunEventUsage | null>;
    list(runId: RunId, opts?: { afterSeq?: number; limit?: number }): Promise<RunEvent[]>;
    /** The newest event of `type` of each given run, in one query (e.g. each agent's latest thought). */
    latestOfType(runIds: RunId[], type: RunEventType): Promise<Map<RunId, RunEvent>>;
  };

  /** The orchestrator's queue, inside this store's transaction so work commits with the state it follows. */
  work: {
    enqueue(item: {
      kind: string;
      subjectId: string;
      payload?: Record<string, unknown>;
      runAfter?: Date;
    }): Promise<void>;
    /** Completes a claimed item if `workerId` still holds its lease; false otherwise. */
    complete(id: string, workerId: string): Promise<boolean>;
    /** Items that failed all their attempts, newest first. */
    listDead(opts?: { limit?: number }): Promise<DeadWorkItem[]>;
    /**
     * Enqueues a dead item's work again (same kind, subject and payload, attempts from zero) and
     * removes the dead letter; null when there is no such dead item in this org.
     */
    retryDead(id: string): Promise<DeadWorkItem | null>;
  };

  /**
   * Security-relevant changes made through this store (project deletion, runs started and
   * stopped): inside a transaction the entry commits, or rolls back, with the change it records.
   */
  audit: { record(entry: NewAuditEntry): Promise<void> };

  /** Which Linear issue each feature came from (same transaction as the feature). */
  linearLinks: LinearIssueLinks;

  /** The pipeline's units of work (engine only): each one statement, one transaction, plain data. */
  pipeline: PipelineUnits;

  /** Runs `fn` in one transaction; the store it receives is bound to the same org. */
  transaction<T>(fn: (tx: TenantStore) => Promise<T>): Promise<T>;
}

/** A unit of orchestrator work, claimed with a lease so that a crashed worker's item is retried. */
export interface WorkItem {
  id: string;
  orgId: OrgId;
  kind: string;
  subjectId: string;
  payload: Record<string, unknown>;
  attempts: number;
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
}

/** A work item that failed all the attempts its kind allows. */
export interface DeadWorkItem {
  id: string;
  kind: string;
  subjectId: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

export interface WorkQueue {
  /** Idempotent per (kind, subjectId) while an item for them is still open. */
  enqueue(item: {
    orgId: OrgId;
    kind: string;
    subjectId: string;
    payload?: Record<string, unknown>;
    runAfter?: Date;
  }): Promise<WorkItem>;
  /** Atomically leases up to `limit` due items (unleased or lease expired). No item goes to two workers. */
  claim(opts: { workerId: string; limit: number; leaseMs: number; kinds?: string[] }): Promise<WorkItem[]>;
  heartbeat(opts: { workerId: string; ids: string[]; leaseMs: number }): Promise<number>;
  complete(opts: { workerId: string; id: string }): Promise<boolean>;
  /** Releases the lease and schedules a retry at `runAfter`. */
  release(opts: { workerId: string; id: string; runAfter: Date; error?: string }): Promise<boolean>;
  /** Out of attempts: the item ends as a dead letter (`listDead`) with its last error. */
  bury(opts: { workerId: string; id: string; error: string }): Promise<boolean>;
  /**
   * Wake-up hint when an item is enqueued or released (it may be due later: see `runAfter`,
   * an ISO timestamp). Hints can be lost on reconnect, so workers still poll. Returns unsubscribe.
   */
  onAvailable?(
    handler: (item: { orgId: OrgId; kind: string; id: string; runAfter: string }) => void,
  ): Promise<() => Promise<void>>;
}

export type ChangeEntity = 'project' | 'feature' | 'run' | 'event' | 'member';

/** Published after commit for every write; small enough for a NOTIFY payload. */
export interface Change {
  orgId: OrgId;
  projectId: ProjectId | null;
  entity: ChangeEntity;
  id: string;
  op: 'insert' | 'update' | 'delete';
  /** A run's status after the change (run inserts and updates), so listeners need not read it. */
  status?: string;
}

export interface ChangeFeed {
  subscribe(handler: (change: Change) => void): Promise<() => Promise<void>>;
}

export interface Membership {
  organization: Organization;
  member: Member;
}

export interface Storage {
  forOrg(orgId: OrgId): TenantStore;
  organizations: {
    get(id: OrgId): Promise<Organization | null>;
    findByExternalId(externalId: string): Promise<Organization | null>;
    create(input: { name: string; externalId: string }): Promise<Organization>;
    /** Every org where the identity-provider subject is a member. */
    membershipsOf(userId: string): Promise<Membership[]>;
  };
  work: WorkQueue;
  changes: ChangeFeed;
  close(): Promise<void>;
}
