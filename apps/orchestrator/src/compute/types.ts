/**
 * Where agent runs execute. The orchestrator only sees this interface; the local driver runs a
 * sandboxed child process, a cloud driver runs one container task per run.
 */
import type { FeatureId, OrgId, ProjectId, RunId, RunRole } from '@omakase/domain';

export interface ComputeSpec {
  runId: RunId;
  orgId: OrgId;
  projectId: ProjectId;
  featureId: FeatureId;
  role: RunRole;
  /** Non-urgent runs may go to cheaper, interruptible capacity (e.g. Fargate Spot). */
  urgent: boolean;
  /** Plain configuration for the runner (API URL, run id, workspace path…). */
  env: Record<string, string>;
  /**
   * Credentials the runner needs (run token, model API key). Drivers inject them without
   * persisting them (process env, or a secret store reference in the cloud) and never log them.
   */
  secrets: Record<string, string>;
  /** The feature's workspace; local drivers bind it as the only writable directory. */
  workspaceDir: string;
  /**
   * The project's runner size when it is not the default (the task definition's own): cloud
   * drivers override the task's cpu/memory; the local driver has no such limit and ignores it.
   */
  resources?: { cpu: number; memoryMiB: number };
  /** Directories besides the workspace the run may write (a setup run's cache staging dir). */
  writableBinds?: string[];
  /** `host:port` destinations this run may reach besides the API and the model endpoint. */
  egress?: string[];
}

export type RunHandle = string;

/** A warm pool task: started without a run, it claims one through the API (see warm-pool.ts). */
export interface WarmSpec {
  warmId: string;
  orgId: OrgId;
  /** Plain configuration (API URL, token endpoint); credentials come from the task definition. */
  env: Record<string, string>;
}

export type ComputeStatus =
  | { state: 'starting' | 'running' }
  | { state: 'exited'; exitCode: number | null; reason: ComputeExitReason }
  | { state: 'unknown' };

/** Why compute ended; `interrupted` (e.g. Spot reclaim) is retried, never counted as the agent's failure. */
export type ComputeExitReason = 'completed' | 'failed' | 'stopped' | 'interrupted' | 'lost';

export interface ComputeExit {
  handle: RunHandle;
  runId: RunId;
  exitCode: number | null;
  reason: ComputeExitReason;
}

export interface ComputeDriver {
  readonly name: string;
  start(spec: ComputeSpec): Promise<RunHandle>;
  /** Ends the run's compute; resolves once a stop has been requested (exit arrives via onExit). */
  stop(handle: RunHandle): Promise<void>;
  status(handle: RunHandle): Promise<ComputeStatus>;
  /** Called once per started run when its compute ends, whatever the cause. */
  onExit(listener: (exit: ComputeExit) => void): void;
  /** Stops watching; local drivers also stop their children. */
  close(): Promise<void>;
  /** Starts a warm pool task (drivers that support pooling). Its exit reports `warmId` as run id. */
  startWarm?(spec: WarmSpec): Promise<RunHandle>;
  /** The warm task `handle` now serves `runId`: from here on its exit is reported for that run. */
  adopt?(handle: RunHandle, runId: RunId): void;
}
