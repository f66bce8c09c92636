/**
 * The pipeline's units of work: the storage port's commands for moving features and runs. Each is
 * one server-side transaction of the backend (one function call on Postgres, one mutation on a
 * store like Convex) taking plain data, never a callback: the engine reads a snapshot, decides
 * with pure code, and hands the decision over whole. Every write is guarded by the status the
 * decision was made on, so of two deciders racing, one wins and the other decides again.
 */
import type {
  AgentRun,
  Feature,
  FeatureId,
  FeatureStatus,
  NeedsInput,
  PipelineCounters,
  Project,
  ProjectId,
  RunId,
  RunRole,
  RunStatus,
  UsageByModel,
} from './entities';
import type { WorkItem } from './ports';

/** A work item the unit completes with its writes (the item whose handler decided them). */
export interface ClaimedWork {
  id: string;
  workerId: string;
}

/** Work of these kinds that a unit enqueues goes to the deciding worker at once, already leased. */
export interface WorkHandOff {
  workerId: string;
  leaseMs: number;
  kinds: string[];
}

export interface CommitResult {
  committed: boolean;
  /** New items of the hand-off's kinds, leased to its worker (none when the item existed already). */
  handedOff: WorkItem[];
}

/**
 * Agent slots the starts of a unit must fit, checked when it commits under the org's scheduling
 * lock (the decision was made on a snapshot): running features of the project and of the org.
 */
export interface CapacityGuard {
  projectId: ProjectId;
  projectMax: number;
  orgMax: number;
  /** The statuses that hold a slot (the domain's `ACTIVE_FEATURE_STATUSES`). */
  activeStatuses: readonly FeatureStatus[];
}

export interface WorkToEnqueue {
  kind: string;
  subjectId: string;
  payload?: Record<string, unknown>;
}

/** A decided transition of one feature, as data. */
export interface TransitionWrites {
  featureId: FeatureId;
  /** The status the decision was made on: nothing is written when the feature has moved since. */
  expectedStatus: FeatureStatus;
  /** The feature's new state; absent optional fields are left as they are, null clears. */
  patch: {
    status: FeatureStatus;
    counters: PipelineCounters;
    needsInput?: NeedsInput | null;
    branchName?: string | null;
    pullRequestUrl?: string | null;
  };
  /** The agent run the transition starts (queued; its launch is among `enqueue`). */
  createRun?: { id: RunId; role: RunRole; attempt: number; input: Record<string, unknown> };
  /** The feature's live runs end as cancelled (their hosts see the change and stop the compute). */
  cancelLiveRuns?: { finishedAt: Date; exitReason: string };
  enqueue: WorkToEnqueue[];
}

/** A live run's end: its final state and what it reported. */
export interface RunFinish {
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  finishedAt: Date;
  exitReason: string | null;
  /** Absent: left as stored (a lost run keeps what it had). */
  output?: Record<string, unknown> | null;
  tokensIn?: number;
  tokensOut?: number;
  costUsd?: number;
  usageByModel?: UsageByModel;
  /** A run settled without compute starts and ends at once (its clock: zero). */
  startedAt?: Date;
  baseCommit?: string | null;
  /** A setup run's test baseline on its base commit, kept for every later run on that commit. */
  baseline?: { baseCommit: string; command: string } & Record<string, unknown>;
}

/** A run's move between live states. */
export type RunMove =
  /** It started: the clock runs from `startedAt`; `baseCommit` is what its branch forked from. */
  | { to: 'running'; startedAt: Date; baseCommit?: string | null }
  /** The cloud took its capacity back: queued again, same attempt. */
  | { to: 'queued'; exitReason: string };

/** Everything a decision about one run is made on, read at once. */
export interface RunSnapshot {
  run: AgentRun;
  /** Null when the feature (and so the project's link to the run) was deleted. */
  feature: Feature | null;
  /** The feature's runs, oldest first (the run itself included). */
  runs: AgentRun[];
  project: Project | null;
}

/** What a launch is decided on: the run, its feature and project, and what the feature spent. */
export interface LaunchSnapshot {
  run: AgentRun;
  feature: Feature | null;
  project: Project | null;
  /** The cost of every run of the feature so far. */
  spentUsd: number;
}

export interface PipelineUnits {
  /** The run, its feature, the feature's runs and its project, in one read; null when no such run. */
  runSnapshot(runId: RunId): Promise<RunSnapshot | null>;
  /** The run, its feature and project and the feature's spend, in one read; null when no such run. */
  launchSnapshot(runId: RunId): Promise<LaunchSnapshot | null>;
  /** Writes a decided transition; not committed (nothing written, `completeWork` included) when the feature moved. */
  commitTransition(
    transition: TransitionWrites,
    opts?: { completeWork?: ClaimedWork; handOff?: WorkHandOff },
  ): Promise<CommitResult>;
  /**
   * Several transitions (a schedule's starts) as one unit, all or none: not committed with
   * `capacity` when the starts no longer fit the free slots, `conflict` when a feature moved. The
   * `completeWork` item is completed with them (alone when there are none).
   */
  commitTransitions(
    transitions: TransitionWrites[],
    opts?: { capacity?: CapacityGuard; completeWork?: ClaimedWork },
  ): Promise<{ committed: boolean; reason: 'capacity' | 'conflict' | null }>;
  /**
   * Ends a live run once and enqueues its completion; false when it had already finished. The
   * `completeWork` item is completed either way: the caller's work is settled.
   */
  finishRun(runId: RunId, finish: RunFinish, opts?: { completeWork?: ClaimedWork }): Promise<boolean>;
  /** Queued → running or running → queued: whether it moved, and its status after (null: no such run). */
  moveRun(runId: RunId, move: RunMove): Promise<{ moved: boolean; status: RunStatus | null }>;
}
